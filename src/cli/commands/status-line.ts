import type { Output } from "../io.ts";
import { readStatusLine } from "../status-line-file.ts";

// `csm status-line`: one short line for tmux's status-right (`#(csm status-line)`). bin/csm
// answers the plain command itself; this runs for callers of main() and from source.

export async function run(argv: string[], io: Output): Promise<number> {
  if (argv.length > 0) {
    io.err("csm: status-line takes no arguments");
    return 2;
  }
  const line = await readStatusLine();
  if (line) io.out(line);
  return 0;
}
