// Where commands write. Injected so tests of formatting need no process.
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when everything written so far has reached the file descriptors. */
  flush(): Promise<void>;
}

const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

// Bun.write on Bun.stdout/Bun.stderr, chained so stdout and stderr keep their order:
// process.stdout costs ~7 ms and node:fs ~2 ms to load, more than the rest of
// `csm list` together (see `bun run bench`).
let pending: Promise<unknown> = Promise.resolve();
const enqueue = (target: typeof Bun.stdout, text: string) => {
  pending = pending.then(() => Bun.write(target, line(text))).catch(() => undefined);
};

export const processOutput: Output = {
  out: (text) => enqueue(Bun.stdout, text),
  err: (text) => enqueue(Bun.stderr, text),
  flush: () => pending.then(() => undefined),
};

export const printJson = (io: Output, value: unknown) => io.out(JSON.stringify(value, null, 2));
