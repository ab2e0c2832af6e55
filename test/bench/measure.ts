// Timing of whole processes, the way a user feels a command: from spawn to exit.

export interface Timing {
  label: string;
  samplesMs: number[];
}

/** Wall time of one run of argv, in milliseconds; a non-zero exit is a benchmark error. */
export async function timeProcess(argv: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = Bun.spawn(argv, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}\n${stderr}${stdout.slice(0, 500)}`);
  return elapsed;
}

export function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (samples: number[]) => percentile(samples, 0.5);
export const p90 = (samples: number[]) => percentile(samples, 0.9);

/**
 * Runs each command `runs` times, interleaved (a, b, c, a, b, c …) so that a slow moment
 * of the machine hurts all of them alike, after `warmup` untimed rounds.
 */
export async function timeInterleaved(
  /** `before` runs ahead of each of the command's runs, untimed (a cache emptied, a file edited). */
  commands: { label: string; argv: string[]; env?: Record<string, string>; before?: () => Promise<unknown> }[],
  env: Record<string, string>,
  options: { runs: number; warmup: number },
): Promise<Timing[]> {
  const timings = commands.map(({ label }) => ({ label, samplesMs: [] as number[] }));
  for (let round = 0; round < options.warmup + options.runs; round++) {
    for (const [i, command] of commands.entries()) {
      await command.before?.();
      const elapsed = await timeProcess(command.argv, command.env ? { ...env, ...command.env } : env);
      if (round >= options.warmup) timings[i]!.samplesMs.push(elapsed);
    }
  }
  return timings;
}

/** A plain text table; the first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
