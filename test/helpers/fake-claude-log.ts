import { readFile } from "node:fs/promises";

// Reads what the stand-in claude (test/fixtures/fake-claude) recorded about each launch.

export interface ClaudeLaunch {
  pid: number;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Complete launch records, oldest first; a record still being written is left out. */
export async function readClaudeLaunches(logPath: string): Promise<ClaudeLaunch[]> {
  const text = await readFile(logPath, "utf8").catch(() => "");
  const launches: ClaudeLaunch[] = [];
  let current: ClaudeLaunch | undefined;
  for (const line of text.split("\n")) {
    const start = /^=== launch pid=(\d+)$/.exec(line);
    if (start) {
      current = { pid: Number(start[1]), args: [], cwd: "", env: {} };
    } else if (line === "=== end" && current) {
      launches.push(current);
      current = undefined;
    } else if (current && line.startsWith("arg=")) {
      current.args.push(line.slice("arg=".length));
    } else if (current && line.startsWith("cwd=")) {
      current.cwd = line.slice("cwd=".length);
    } else if (current && line.startsWith("env:")) {
      const assignment = line.slice("env:".length);
      const equals = assignment.indexOf("=");
      current.env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
    }
  }
  return launches;
}
