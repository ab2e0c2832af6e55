import { lstatSync, readFileSync } from "node:fs";
import type { Context } from "../context.ts";

// Where things live in the sync repository. Everything else in it is foreign: listed, never
// read or removed.
//
//   csm-sync.json                                  {"format":1}
//   conversations/<portable project slug>/project.json        {"cwd": "{{PROJECTS}}/app"}
//   conversations/<portable project slug>/<id>.jsonl          the transcript, paths as placeholders
//   conversations/<portable project slug>/<id>/…              its sub-agents, custom-title.json
//   conversations/<portable project slug>/memory/…            the project's memory files
//   locks/<id>.json                                           who has the conversation open

export const MARKER = "csm-sync.json";
export const MARKER_TEXT = `${JSON.stringify({ format: 1 })}\n`;
const SLUG = "[A-Za-z0-9._-]{1,255}";
const ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

export interface RepoConversation {
  id: string;
  pslug: string;
  path: string;
  /** Files in its `<id>/` folder, relative to it. */
  extras: string[];
}

export interface RepoListing {
  conversations: Map<string, RepoConversation>;
  /** Portable project slug → files in its memory/ folder, relative to it. */
  memory: Map<string, string[]>;
  projects: Set<string>;
  locks: string[];
  foreign: string[];
}

export const conversationPath = (pslug: string, id: string) => `conversations/${pslug}/${id}.jsonl`;
export const projectFilePath = (pslug: string) => `conversations/${pslug}/project.json`;
export const lockPath = (id: string) => `locks/${id}.json`;

const transcriptPattern = new RegExp(`^conversations/(${SLUG})/(${ID})\\.jsonl$`);
const extraPattern = new RegExp(`^conversations/(${SLUG})/(${ID})/(.+)$`);
const memoryPattern = new RegExp(`^conversations/(${SLUG})/memory/(.+)$`);
const projectPattern = new RegExp(`^conversations/(${SLUG})/project\\.json$`);
const lockPattern = new RegExp(`^locks/(${ID})\\.json$`);

/** Every file the repository tracks, sorted into csm's and foreign ones. */
export async function listRepo(ctx: Context, dir: string): Promise<RepoListing> {
  const result = await ctx.host.run(["git", "-C", dir, "ls-files", "-s", "-z"]);
  const listing: RepoListing = { conversations: new Map(), memory: new Map(), projects: new Set(), locks: [], foreign: [] };
  const paths: string[] = [];
  // `<mode> <object> <stage>\t<path>`: a symlink (120000) or submodule is never followed, only listed.
  for (const entry of result.code === 0 ? result.stdout.split("\0").filter(Boolean) : []) {
    const tab = entry.indexOf("\t");
    const path = entry.slice(tab + 1);
    if (entry.startsWith("100644 ") || entry.startsWith("100755 ")) paths.push(path);
    else listing.foreign.push(path);
  }
  const extras: [string, string, string][] = [];
  for (const path of paths) {
    let match: RegExpExecArray | null;
    if (path === MARKER) continue;
    if ((match = memoryPattern.exec(path))) {
      listing.memory.set(match[1]!, [...(listing.memory.get(match[1]!) ?? []), match[2]!]);
    } else if ((match = transcriptPattern.exec(path))) {
      listing.conversations.set(match[2]!, { id: match[2]!, pslug: match[1]!, path, extras: [] });
    } else if ((match = projectPattern.exec(path))) {
      listing.projects.add(match[1]!);
    } else if ((match = extraPattern.exec(path))) {
      extras.push([match[1]!, match[2]!, match[3]!]);
    } else if ((match = lockPattern.exec(path))) {
      listing.locks.push(match[1]!);
    } else {
      listing.foreign.push(path);
    }
  }
  for (const [pslug, id, rest] of extras) {
    const conversation = listing.conversations.get(id);
    if (conversation && conversation.pslug === pslug) conversation.extras.push(rest);
    else listing.foreign.push(`conversations/${pslug}/${id}/${rest}`);
  }
  return listing;
}

/** The portable cwd a project folder of the repository stands for, or null when it names none. */
export function projectCwd(dir: string, pslug: string): string | null {
  try {
    const cwd = (JSON.parse(readFileSync(`${dir}/${projectFilePath(pslug)}`, "utf8")) as { cwd?: unknown }).cwd;
    return typeof cwd === "string" ? cwd : null;
  } catch {
    return null;
  }
}

/** Refuses to write through a symlink someone committed into the repository (it could point anywhere). */
export function checkNoSymlink(dir: string, path: string): void {
  let at = dir;
  for (const part of path.split("/")) {
    at = `${at}/${part}`;
    try {
      if (lstatSync(at).isSymbolicLink()) throw new Error(`the sync repository has a symlink at ${at.slice(dir.length + 1)}; csm will not write through it (remove it from the repository)`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
  }
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
