import type { HostFiles } from "../host/runner.ts";
import { configError } from "../shared/errors.ts";
import { withFileLock } from "../host/file-lock.ts";
import { validateConfig, type CsmConfig } from "./schema.ts";

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
    const text = await files.read(path);
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
    const config = validateConfig(JSON.parse(written), path);
    await files.writeAtomic(path, written, 0o600);
    return config;
  });
}

/** Keeps the file's own indentation (tabs or N spaces); two spaces for a new file. */
function indentOf(text: string | null): string | number {
  const match = text ? /\n([ \t]+)"/.exec(text) : null;
  if (!match) return 2;
  return match[1]!.startsWith("\t") ? "\t" : match[1]!.length;
}
