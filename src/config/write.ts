import type { HostFiles } from "../host/runner.ts";
import { configError, CsmError } from "../shared/errors.ts";
import { withFileLock } from "../host/file-lock.ts";
import { validateConfig, type CsmConfig } from "./schema.ts";
import { danglingConfigError } from "./load.ts";

// Changing the config file: read it as it is, change one part, check the whole result,
// write it atomically (temp file, rename) under a lock so a CLI command and the hub never
// interleave. Everything not changed stays as it was; a file that does not parse is
// reported and left alone, never replaced.

export async function updateConfig(
  files: HostFiles,
  path: string,
  lockPath: string,
  change: (raw: Record<string, unknown>) => void,
): Promise<CsmConfig> {
  return withFileLock(files, lockPath, path, async () => {
    const read = await files.read(path).catch((error: Error) => {
      throw configError(path, "(file)", `cannot be read: ${error.message}`);
    });
    // A byte-order mark (some Windows editors write one) is kept, and not taken for JSON.
    const bom = read?.startsWith("\uFEFF") ? "\uFEFF" : "";
    const text = read === null ? null : read.slice(bom.length);
    if (text === null && (await files.stamps([path]))[0]?.kind === "symlink") throw danglingConfigError(path, null);
    let raw: Record<string, unknown> = {};
    if (text !== null && text.trim() !== "") {
      try {
        raw = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw configError(path, "(file)", `is not valid JSON: ${(error as Error).message}`);
      }
    }
    validateConfig(raw, path);
    change(raw);
    const written = `${JSON.stringify(raw, null, indentOf(text))}\n`;
    // The result is the file's text read back, so a caller applies exactly what the file
    // says: nothing a change set outside what JSON keeps (a prototype) comes with it.
    const config = validChange(JSON.parse(written), path);
    await files.writeAtomic(path, bom + written, 0o600);
    return config;
  });
}

/** Keeps the file's own indentation (tabs or N spaces); two spaces for a new file. */
function indentOf(text: string | null): string | number {
  const match = text ? /\n([ \t]+)"/.exec(text) : null;
  if (!match) return 2;
  return match[1]!.startsWith("\t") ? "\t" : match[1]!.length;
}

/** The changed config, checked: a change that would break it is the change's fault, not the file's. */
function validChange(raw: unknown, path: string): CsmConfig {
  try {
    return validateConfig(raw, path);
  } catch (error) {
    if (!(error instanceof CsmError) || error.name !== "ConfigInvalid") throw error;
    const { field, problem } = error.data as { field: string; problem: string };
    throw new CsmError("BadField", `${field}: ${problem} (nothing was written to ${path})`, { data: { field } });
  }
}
