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
const enqueue = (target: typeof Bun.stdout, text: string | (() => Promise<string>)) => {
  pending = pending.then(async () => Bun.write(target, line(typeof text === "string" ? text : await text()))).catch(() => undefined);
};

// Only words for people go to stderr, and much of them came from elsewhere (a remote
// host's stderr, why a session died, a command in a pending request): they are made
// printable on the way out. Loaded only when something is written there, so a command
// that succeeds (`csm list --json` above all) does not pay for it.
const printableLater = (text: string) => async () => (await import("../shared/printable.ts")).printable(text, { multiline: true });

export const processOutput: Output = {
  out: (text) => enqueue(Bun.stdout, text),
  err: (text) => enqueue(Bun.stderr, printableLater(text)),
  flush: () => pending.then(() => undefined),
};

/**
 * JSON as scripts read it and a terminal can show it. JSON.stringify escapes C0 controls
 * (ESC too) and lone surrogates, but leaves C1 controls (U+009B is CSI to some terminals)
 * and bidi overrides raw; inside a JSON string `\u009b` means the same, so they are escaped
 * too. (The set printable() shows, in src/shared/printable.ts; not imported, to keep
 * `csm list --json` from loading another module.)
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const printJson = (io: Output, value: unknown) => io.out(jsonText(value, 2));
