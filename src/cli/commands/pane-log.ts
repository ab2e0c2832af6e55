import { usageError } from "../../shared/errors.ts";
import { CappedLog } from "../../host/pane-log.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

// `csm pane-log FILE`: what tmux's pipe-pane runs for a session's agent pane. It reads the
// pane's output on stdin until tmux closes the pipe and keeps the newest 1 MB of it in FILE
// (see host/pane-log.ts). The text is data: it is written to the file and nothing else.

export async function run(argv: string[], _io: Output): Promise<number> {
  const { positionals } = parseFlags("pane-log", argv, {}, { min: 1, max: 1 });
  const file = positionals[0]!;
  if (!file.startsWith("/")) throw usageError("pane-log: FILE must be an absolute path");
  const log = new CappedLog(file);
  try {
    for await (const chunk of Bun.stdin.stream()) log.write(chunk);
  } finally {
    log.close();
  }
  return 0;
}
