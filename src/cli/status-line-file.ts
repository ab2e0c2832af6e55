import { csmPaths } from "../config/paths.ts";

// `csm status-line`'s whole work: the line the hub keeps in <state>/status-line (see
// hub/status-summary.ts), or null with no hub (no file, or a hub that died without
// removing it). bin/csm reads the same file inline (tmux runs it every few seconds, and a
// module import would cost a fifth of Bun's start); keep the two in step. Bun.file: node:fs
// costs more to load than the rest of the command.

export async function readStatusLine(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  let text: string;
  try {
    text = await Bun.file(`${csmPaths(env).stateDir}/status-line`).text();
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
