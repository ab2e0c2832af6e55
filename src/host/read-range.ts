import { closeSync, openSync, readSync, statSync } from "node:fs";

/** Bytes read, or why none could be: the error's code (`ENOENT`: the file is gone). */
export type RangeRead = { bytes: Buffer } | { failure: string };

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Bytes `[from, to)` of a file (fewer when it is shorter now), or null when it vanished or cannot be read. */
export function readRange(path: string, from: number, to: number): Buffer | null {
  const read = readRangeOf(path, from, to);
  return "bytes" in read ? read.bytes : null;
}

/** The same, saying why a file could not be read. */
export function readRangeOf(path: string, from: number, to: number): RangeRead {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { failure: codeOf(error) };
  }
  try {
    const buffer = Buffer.allocUnsafe(Math.max(0, to - from));
    let filled = 0;
    while (filled < buffer.length) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, from + filled);
      if (read === 0) break;
      filled += read;
    }
    return { bytes: filled === buffer.length ? buffer : buffer.subarray(0, filled) };
  } catch (error) {
    return { failure: codeOf(error) };
  } finally {
    closeSync(fd);
  }
}

/** Bytes from `from` to the file's end as it is now; null when there are none, or it cannot be read. */
export function readFrom(path: string, from: number): Buffer | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  return size > from ? readRange(path, from, size) : null;
}
