// Where commands write. Injected so tests of formatting need no process.
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

export const printJson = (io: Output, value: unknown) => io.out(JSON.stringify(value, null, 2));
