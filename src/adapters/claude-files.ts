import { readdirSync, readFileSync, readlinkSync, statSync, type Dirent } from "node:fs";

// Claude Code's own files on this machine, read-only: its transcripts under
// `<config>/projects/<slug>/<id>.jsonl` (sub-agents in `<id>/subagents/`) and the
// `<config>/sessions/<pid>.json` a running claude keeps. The conversation index is built
// by each host's own csm, so these are local reads, never a remote file tree.

export interface TranscriptFile {
  path: string;
  /** The project directory's name: claude's slug of the cwd. */
  project: string;
  /** The conversation id: the file name without `.jsonl`. */
  id: string;
  size: number;
  mtimeMs: number;
  /** Sub-agent transcripts in `<id>/subagents/`. */
  subagents: number;
}

export interface ScanProblem {
  path: string;
  reason: string;
}

export interface TranscriptListing {
  files: TranscriptFile[];
  problems: ScanProblem[];
}

export { claudeConfigDir } from "../config/claude-config-dir.ts";

const TRANSCRIPT = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})\.jsonl$/;
const ID_DIR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const reasonOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Every transcript under `<config>/projects`. Depth is fixed (project dir, file), so a
 * symlink loop cannot recurse; what cannot be read is reported, never thrown.
 */
export function listTranscripts(configDir: string): TranscriptListing {
  const projectsDir = `${configDir}/projects`;
  const files: TranscriptFile[] = [];
  const problems: ScanProblem[] = [];
  let projects: Dirent[];
  try {
    projects = readdirSync(projectsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") problems.push({ path: projectsDir, reason: reasonOf(error) });
    return { files, problems };
  }
  for (const project of projects) {
    if (!project.isDirectory() && !project.isSymbolicLink()) continue;
    const dir = `${projectsDir}/${project.name}`;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (reasonOf(error) !== "ENOTDIR") problems.push({ path: dir, reason: reasonOf(error) });
      continue;
    }
    const subagentDirs = new Set<string>();
    for (const entry of entries) if (entry.isDirectory() && ID_DIR.test(entry.name)) subagentDirs.add(entry.name);
    for (const entry of entries) {
      const match = TRANSCRIPT.exec(entry.name);
      if (!match || entry.isDirectory()) continue;
      const path = `${dir}/${entry.name}`;
      try {
        const stat = statSync(path);
        if (!stat.isFile()) continue;
        const id = match[1]!;
        const subagents = subagentDirs.has(id) ? countSubagents(`${dir}/${id}/subagents`) : 0;
        files.push({ path, project: project.name, id, size: stat.size, mtimeMs: stat.mtimeMs, subagents });
      } catch (error) {
        problems.push({ path, reason: reasonOf(error) });
      }
    }
  }
  return { files, problems };
}

function countSubagents(dir: string): number {
  try {
    return readdirSync(dir).filter((name) => name.endsWith(".jsonl")).length;
  } catch {
    return 0;
  }
}

export { readRange, readRangeOf, type RangeRead } from "../host/read-range.ts";

/** What a running claude says about itself in `<config>/sessions/<pid>.json`. */
export interface ClaudeProcessFile {
  pid: number;
  sessionId: string;
  cwd?: string;
  /** The process's start time as claude recorded it (see processStartOf). */
  procStart?: string;
  /** Where the pid means something, in claude's own form (see ownPidDomain); absent from older claudes. */
  pidDomain?: string;
}

/** Every `sessions/<pid>.json` that names a conversation; unreadable ones are ignored. */
export function readClaudeProcessFiles(configDir: string): ClaudeProcessFile[] {
  const dir = `${configDir}/sessions`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: ClaudeProcessFile[] = [];
  for (const name of names) {
    const match = /^(\d{1,10})\.json$/.exec(name);
    if (!match) continue;
    try {
      const data = JSON.parse(readFileSync(`${dir}/${name}`, "utf8")) as Record<string, unknown>;
      if (typeof data.sessionId !== "string") continue;
      found.push({
        pid: Number(match[1]),
        sessionId: data.sessionId,
        cwd: typeof data.cwd === "string" ? data.cwd : undefined,
        procStart: typeof data.procStart === "string" ? data.procStart : undefined,
        pidDomain: typeof data.pidDomain === "string" ? data.pidDomain : undefined,
      });
    } catch {
      // A file claude is writing right now, or not JSON: not evidence of anything.
    }
  }
  return found;
}

let pidDomainHere: string | undefined;

/**
 * The PID namespace this process runs in, spelt as claude spells its `pidDomain`: on Linux
 * `linux:<machine-id>:<the /proc/self/ns/pid link>` (an empty part where it cannot be
 * read), elsewhere `linux`. A claude that wrote another one runs where its pid names no
 * process here (a container sharing this config dir), so whether it still runs cannot be
 * told from here.
 */
export function ownPidDomain(): string {
  if (pidDomainHere !== undefined) return pidDomainHere;
  if (process.platform !== "linux") return (pidDomainHere = "linux");
  const read = (get: () => string) => {
    try {
      return get();
    } catch {
      return "";
    }
  };
  const machineId = read(() => readFileSync("/etc/machine-id", "utf8").trim());
  const namespace = read(() => readlinkSync("/proc/self/ns/pid"));
  return (pidDomainHere = `linux:${machineId}:${namespace}`);
}

/**
 * A process's start time in claude's own form, so it can be compared with `procStart`:
 * on Linux field 22 of `/proc/<pid>/stat` (clock ticks since boot). Undefined when the
 * process does not exist or the platform has no /proc.
 */
export function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
