/** One part of `bun run bench`; later issues add sections (hub throughput, approvals, TUI). */
export interface BenchSection {
  name: string;
  title: string;
  /** Sets up what it measures, measures, cleans up, and returns its report as text. */
  run(): Promise<string>;
}
