import { writeSync } from "node:fs";

// Where commands write. Injected so tests of formatting need no process.
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

// Plain synchronous writes to fds 1 and 2: process.stdout costs ~7 ms to set up, more
// than the rest of `csm list` together (see `bun run bench`).
function writeAll(fd: number, text: string): void {
  let bytes = Buffer.from(text.endsWith("\n") ? text : `${text}\n`);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EPIPE") return;
      throw error;
    }
  }
}

export const processOutput: Output = {
  out: (text) => writeAll(1, text),
  err: (text) => writeAll(2, text),
};

export const printJson = (io: Output, value: unknown) => io.out(JSON.stringify(value, null, 2));
