/** True while a process with this pid exists (EPERM: it exists but is someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// A pid alone does not name a process: an exited one can linger as a zombie, and a pid is
// reused. Where /proc exists, a process is named by its pid plus its start time (field 22
// of /proc/PID/stat, clock ticks since boot), which no later process with that pid shares.
// node:fs loads here only, off `csm list`'s path.

interface ProcStat {
  state: string;
  start: string;
}

/** null: no such process (or no /proc here: see `hasProc`). */
function procStat(pid: number): ProcStat | null {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ")": split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", start: fields[19] ?? "" };
}

let procMounted: boolean | undefined;
function hasProc(): boolean {
  procMounted ??= procStat(process.pid) !== null;
  return procMounted;
}

/** The start time that, with the pid, names a process; null when it is gone or cannot be told. */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

/**
 * Whether the process `pid` (started at `start`, when known) still runs. A zombie has
 * finished, and a pid now held by a process that started at another time is someone else.
 * Without /proc only the pid can be asked.
 */
export function processRuns(pid: number, start?: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!hasProc()) return processAlive(pid);
  const stat = procStat(pid);
  if (!stat || stat.state === "Z") return false;
  return !start || stat.start === start;
}

/** The program's arguments, for telling whether a pid is csm at all (empty when unknown). */
export function processArgv(pid: number): string[] {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}
