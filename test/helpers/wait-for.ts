// Polls observable state instead of sleeping: tests wait exactly as long as the thing
// takes, and a timeout says what never happened and what was last seen.

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Finishes the sentence "timed out waiting for …". */
  what: string;
}

/** Resolves with the predicate's first truthy value; a throwing predicate counts as "not yet". */
export async function waitFor<T>(predicate: () => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await Bun.sleep(intervalMs);
  }
  const seen = last instanceof Error ? last.message : JSON.stringify(last);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what} (last seen: ${seen})`);
}
