import { csmPaths } from "../../config/paths.ts";
import type { Output } from "../io.ts";

// `csm status-line`: one short line for tmux's status-right (`#(csm status-line)`), run
// every status-interval seconds, so it reads the line the hub keeps in a small file
// (hub/status-summary.ts) and nothing else: no config, no store, no hub client. No hub,
// or a hub that died without removing its file: nothing is printed, and that is no error.

export async function run(argv: string[], io: Output): Promise<number> {
  if (argv.length > 0) {
    io.err("csm: status-line takes no arguments");
    return 2;
  }
  const line = currentLine(`${csmPaths().stateDir}/status-line`);
  if (line) io.out(line);
  return 0;
}

function currentLine(path: string): string | null {
  let text: string;
  try {
    text = (require("node:fs") as typeof import("node:fs")).readFileSync(path, "utf8");
  } catch {
    return null;
  }
  const tab = text.indexOf("\t");
  const pid = Number(text.slice(0, tab));
  if (tab < 0 || !Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  return text.slice(tab + 1).trim() || null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
