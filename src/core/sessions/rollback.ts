import { CsmError } from "../../shared/errors.ts";

// All-or-nothing starts: each step that makes something registers how to unmake it.
// On failure the steps are undone newest first, and a failed undo is reported next to
// the original error instead of hiding it.
export class Rollback {
  private readonly undos: { what: string; undo: () => Promise<void> | void }[] = [];

  onFailure(what: string, undo: () => Promise<void> | void): void {
    this.undos.push({ what, undo });
  }

  async fail(error: unknown): Promise<never> {
    const cleanupErrors: string[] = [];
    for (const { what, undo } of this.undos.reverse()) {
      try {
        await undo();
      } catch (undoError) {
        cleanupErrors.push(`${what}: ${(undoError as Error).message}`);
      }
    }
    if (cleanupErrors.length === 0) throw error;
    const message = `${(error as Error).message} (cleanup error: ${cleanupErrors.join("; ")})`;
    throw error instanceof CsmError
      ? new CsmError(error.name, message, { data: { ...error.data, cleanupErrors } })
      : new CsmError("CleanupFailed", message, { data: { cleanupErrors } });
  }
}
