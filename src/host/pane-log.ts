import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { readRange } from "./read-range.ts";

// The agent pane's output, kept in a size-capped log: tmux pipes the pane into `csm pane-log
// FILE`, which appends here. The log is a rotating pair, FILE (newest) and FILE.1 (the half
// before it), each at most half the cap: the oldest half is dropped whole when the newest
// fills up, so the pair never holds more than the cap and always the most recent output.
// The bytes are only ever written to a file, never interpreted.

export const PANE_LOG_LIMIT_BYTES = 1024 * 1024;

export const olderHalf = (path: string) => `${path}.1`;

export class CappedLog {
  private fd: number | null = null;
  private inode = -1;
  private readonly half: number;

  constructor(
    readonly path: string,
    limitBytes = PANE_LOG_LIMIT_BYTES,
  ) {
    this.half = Math.max(1, Math.floor(limitBytes / 2));
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // A chunk bigger than a half keeps only its end: the rest would be dropped at once anyway.
    const bytes = chunk.length > this.half ? chunk.subarray(chunk.length - this.half) : chunk;
    if (fstatSync(this.current()).size + bytes.length > this.half) this.rotate();
    const fd = this.current();
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /**
   * The open newest half, reopened when it is not the file at `path` any more: another
   * writer for the same pane (a reconnect's, for a moment) may have rotated it.
   */
  private current(): number {
    let inode = -2;
    try {
      inode = statSync(this.path).ino;
    } catch {
      // Gone (rotated or removed): opened again below.
    }
    if (this.fd !== null && inode === this.inode) return this.fd;
    this.close();
    this.fd = openSync(this.path, "a", 0o600);
    this.inode = fstatSync(this.fd).ino;
    return this.fd;
  }

  private rotate(): void {
    this.close();
    // rename over the older half: atomic, so a reader sees the old pair or the new one.
    try {
      renameSync(this.path, olderHalf(this.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/** The last `maxBytes` of the pair, oldest first; null when there is no log. */
export function readPaneLogTail(path: string, maxBytes: number): Buffer | null {
  const parts: Buffer[] = [];
  for (const file of [olderHalf(path), path]) {
    const part = readTail(file, maxBytes);
    if (part) parts.push(part);
  }
  if (parts.length === 0) return null;
  const all = Buffer.concat(parts);
  return all.length > maxBytes ? all.subarray(all.length - maxBytes) : all;
}

function readTail(path: string, maxBytes: number): Buffer | null {
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) return null;
  return readRange(path, Math.max(0, size - maxBytes), size);
}

/** Bytes the pair holds now. */
export function paneLogSize(path: string): number {
  let size = 0;
  for (const file of [olderHalf(path), path]) {
    try {
      size += statSync(file).size;
    } catch {
      // No such half.
    }
  }
  return size;
}

export function removePaneLog(path: string): void {
  for (const file of [path, olderHalf(path)]) rmSync(file, { force: true });
}
