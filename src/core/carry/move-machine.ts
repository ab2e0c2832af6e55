import { homedir } from "node:os";
import { claudeConfigDir } from "../../adapters/claude-files.ts";
import { machineNameOf, pathMapOf } from "../../config/schema.ts";
import { CsmError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";
import type { KnownHost } from "../hosts/host-registry.ts";
import { runRemoteCsm } from "../hosts/remote-csm.ts";
import { fromPortable, missingPlaceholders, projectSlug, type PathMap } from "./path-map.ts";

// What one machine tells a move about itself (`csm carry-info --json`): its name, home,
// claude config dir and path map, and — for one conversation — the project directory it
// belongs in there with the files of it that exist (the transcript, its `<id>/` folder, the
// project's memory/), each with size and mtime. Asked of the machine itself, so a remote
// csm answers with its own config and its own filesystem; this one answers in process.

export interface CarriedFile {
  /** Relative to the project directory: `<id>.jsonl`, `<id>/subagents/…`, `memory/…`. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface CarryProject {
  /** `<claude config>/projects/<slug>`; empty when the cwd cannot be mapped here. */
  dir: string;
  /** The conversation's working directory on this machine. */
  cwd: string | null;
  /** Placeholders the portable cwd uses that this machine's pathMap lacks. */
  missing: string[];
  files: CarriedFile[];
}

export interface CarryInfo {
  machineName: string;
  home: string;
  claudeConfigDir: string;
  pathMap: PathMap;
  project: CarryProject | null;
}

/** One conversation's files, found by its project directory (the source) or by its cwd in portable form (the target). */
export type CarryQuery = { id: string } & ({ projectDir: string } | { portableCwd: string });

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Whether `path` is one a move carries for conversation `id`: its transcript, a file in its
 * folder or in the project's memory/, with no `..`, `.` or empty segment. Another machine
 * lists them, and a path it makes up (`../../.bashrc`) must never be written here.
 */
export function isCarriedPath(id: string, path: string): boolean {
  if (path === `${id}.jsonl`) return true;
  const segments = path.split("/");
  if (segments.length < 2 || (segments[0] !== id && segments[0] !== "memory")) return false;
  return segments.every((segment) => segment !== "" && segment !== "." && segment !== ".." && !segment.includes("\0"));
}

export function checkConversationId(id: string): string {
  if (!ID.test(id)) throw new CsmError("UsageError", `not a conversation id: ${JSON.stringify(id)}`);
  return id;
}

export async function localCarryInfo(ctx: Context, query?: CarryQuery): Promise<CarryInfo> {
  const home = (ctx.env.HOME || homedir()).replace(/\/+$/, "");
  const pathMap = pathMapOf(ctx.settings.config, home);
  const configDir = claudeConfigDir(ctx.env);
  const info: CarryInfo = { machineName: machineNameOf(ctx.settings.config), home, claudeConfigDir: configDir, pathMap, project: null };
  if (!query) return info;
  const id = checkConversationId(query.id);
  const projects = `${configDir}/projects`;
  if ("projectDir" in query) {
    const dir = query.projectDir.replace(/\/+$/, "");
    const slug = dir.slice(projects.length + 1);
    if (!dir.startsWith(`${projects}/`) || slug.includes("/") || slug === "" || slug.startsWith(".")) {
      throw new CsmError("UsageError", `${JSON.stringify(dir)} is not a project directory under ${projects}`);
    }
    info.project = { dir, cwd: null, missing: [], files: await listProject(dir, id) };
    return info;
  }
  const missing = missingPlaceholders(query.portableCwd, pathMap);
  if (missing.length > 0) {
    info.project = { dir: "", cwd: null, missing, files: [] };
    return info;
  }
  const mapped = fromPortable(query.portableCwd, pathMap);
  // claude names the project after the real path of its cwd.
  const { realpath } = await import("node:fs/promises");
  const cwd = await realpath(mapped).catch(() => mapped);
  const dir = `${projects}/${projectSlug(cwd)}`;
  info.project = { dir, cwd, missing: [], files: await listProject(dir, id) };
  return info;
}

/** The conversation's files in a project directory: its transcript, its folder, the memory/ files; regular files only. */
async function listProject(dir: string, id: string): Promise<CarriedFile[]> {
  const { readdir, stat } = await import("node:fs/promises");
  const files: CarriedFile[] = [];
  const add = async (path: string) => {
    const stats = await stat(`${dir}/${path}`).catch(() => null);
    if (stats?.isFile()) files.push({ path, size: stats.size, mtimeMs: Math.floor(stats.mtimeMs) });
  };
  await add(`${id}.jsonl`);
  for (const folder of [id, "memory"]) {
    const entries = await readdir(`${dir}/${folder}`, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith(".tmp")) continue;
      const parent = (entry.parentPath ?? (entry as unknown as { path: string }).path).replace(/\/+$/, "");
      await add(`${parent.slice(dir.length + 1)}/${entry.name}`);
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Asks `host` about itself: this machine in process, an SSH host through its csm. */
export async function askCarryInfo(ctx: Context, host: KnownHost, query?: CarryQuery): Promise<CarryInfo> {
  if (host.kind === "local") return localCarryInfo(ctx, query);
  const args = ["carry-info", "--json"];
  if (query) {
    args.push(`--id=${query.id}`);
    args.push("projectDir" in query ? `--project-dir=${query.projectDir}` : `--portable-cwd=${query.portableCwd}`);
  }
  const { REMOTE_QUERY_TIMEOUT_MS } = await import("../conversations/conversations-everywhere.ts");
  const result = await runRemoteCsm(host, args, REMOTE_QUERY_TIMEOUT_MS);
  if (result.code !== 0) {
    const said = result.stderr.trim().split("\n")[0] || `exit ${result.code}`;
    const old = /unknown command/i.test(said) ? " (its csm is older than `move`: update it)" : "";
    throw new CsmError("HostUnreachable", `${host.name} could not say where conversations go there: ${said}${old}`, { data: { host: host.name } });
  }
  return JSON.parse(result.stdout) as CarryInfo;
}
