import { readFile } from "node:fs/promises";

// Reads what the stand-in claude (test/fixtures/fake-claude) recorded about each launch.

export interface ClaudeLaunch {
  pid: number;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Lines on this claude's stdin: stream-json frames from the bridge (parsed), or typed text. */
  stdin: unknown[];
}

/** Complete launch records, oldest first; a record still being written is left out. */
export async function readClaudeLaunches(logPath: string): Promise<ClaudeLaunch[]> {
  const text = await readFile(logPath, "utf8").catch(() => "");
  const launches: ClaudeLaunch[] = [];
  const stdin = new Map<number, unknown[]>();
  let current: ClaudeLaunch | undefined;
  for (const line of text.split("\n")) {
    const start = /^=== launch pid=(\d+)$/.exec(line);
    const input = /^stdin pid=(\d+) (.*)$/.exec(line);
    if (input) {
      const pid = Number(input[1]);
      stdin.set(pid, [...(stdin.get(pid) ?? []), parseOrText(input[2]!)]);
    } else if (start) {
      current = { pid: Number(start[1]), args: [], cwd: "", env: {}, stdin: [] };
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
  for (const launch of launches) launch.stdin = stdin.get(launch.pid) ?? [];
  return launches;
}

function parseOrText(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
