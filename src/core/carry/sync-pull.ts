import { existsSync, statSync } from "node:fs";
import type { Context } from "../context.ts";
import { findHolders } from "../conversations/conversation-holders.ts";
import type { Holder } from "../conversations/conversation-record.ts";
import { fromPortable, missingPlaceholders, projectSlug, toPortable } from "./path-map.ts";
import { completeLines, cwdOf, derivedId, relationOf, sha256, withSessionId } from "./sync-records.ts";
import { listRepo, projectCwd, readText, type RepoConversation } from "./sync-layout.ts";
import { readLocks, type SyncLock, lockIsLive } from "./sync-lock.ts";
import { localSide, type LocalSide } from "./sync-local.ts";
import { machineOf, readSyncRepo, syncDirOf } from "./sync-repo.ts";
import { loadSyncState, saveSyncState, writeFileAtomic, type SyncState } from "./sync-state.ts";

// `csm sync pull`: every conversation the repository holds into this machine, its own earlier
// ones included (the repository is also a backup), paths mapped back with this machine's map,
// into `projects/<slug of the mapped cwd>/`. Nothing here is overwritten unless the incoming
// copy continues it; when both grew, the incoming copy is kept beside this machine's as a fork
// with its own id (its records' sessionId rewritten to that id, so `claude --resume` opens it).
// A conversation another machine has locked is left alone.

export interface PullReport {
  written: { id: string; localId: string; path: string; how: "new" | "ahead" | "fork" }[];
  locked: { id: string; machine: string }[];
  skipped: { id: string; reason: string }[];
  memory: string[];
  memoryKept: string[];
  foreign: string[];
}

export async function syncPull(ctx: Context, options: { noMemory?: boolean } = {}): Promise<PullReport> {
  const syncDir = syncDirOf(ctx);
  const machine = machineOf(ctx);
  const local = localSide(ctx);
  const report = await readSyncRepo(ctx, async (dir) => {
    const state = loadSyncState(syncDir);
    const listing = await listRepo(ctx, dir);
    const locks = readLocks(dir, listing.locks);
    const report: PullReport = { written: [], locked: [], skipped: [], memory: [], memoryKept: [], foreign: listing.foreign };
    const where = new Map(local.transcripts.map((file) => [file.id, file]));
    // A conversation a claude here has open is never replaced: it writes on into the file it holds.
    const holders = findHolders(local.configDir, ctx.sessions().all(ctx.host.hostName));
    const localSlugs = new Map<string, string>();
    for (const conversation of listing.conversations.values()) {
      const lock = locks.get(conversation.id);
      if (lock && lock.machine !== machine && lockIsLive(lock, ctx)) {
        report.locked.push({ id: conversation.id, machine: lock.machine });
        continue;
      }
      try {
        pullOne(dir, conversation, local, state, machine, where, localSlugs, holders, report);
      } catch (error) {
        report.skipped.push({ id: conversation.id, reason: (error as Error).message });
      }
    }
    if (!options.noMemory) pullMemory(dir, listing.memory, localSlugs, local, state, report);
    saveSyncState(syncDir, state);
    return report;
  });
  return report;
}

function pullOne(
  dir: string,
  conversation: RepoConversation,
  local: LocalSide,
  state: SyncState,
  machine: string,
  where: Map<string, { path: string; project: string }>,
  localSlugs: Map<string, string>,
  holders: Map<string, Holder>,
  report: PullReport,
): void {
  const portableText = readText(`${dir}/${conversation.path}`) ?? "";
  const portableCwd = projectCwd(dir, conversation.pslug);
  const missing = missingPlaceholders(`${portableCwd ?? ""}\n${portableText}`, local.map);
  if (missing.length > 0) {
    report.skipped.push({ id: conversation.id, reason: `uses ${missing.join(", ")}, which this machine's pathMap lacks; add it to the config` });
    return;
  }
  const slug = portableCwd ? projectSlug(fromPortable(portableCwd, local.map)) : conversation.pslug;
  localSlugs.set(conversation.pslug, slug);
  let localId = localIdFor(state, conversation.id);
  let how: "new" | "ahead" | "fork" = "new";
  if (localId === null) {
    // This machine's own copy went in as a fork: the repository's is kept here beside it.
    localId = derivedId(`${conversation.id}<${machine}`);
    state.aliases[localId] = { repoId: conversation.id, kind: "theirs" };
    how = "fork";
  }
  const incoming = withSessionId(fromPortable(portableText, local.map), conversation.id, localId);
  const found = where.get(localId);
  const path = found?.path ?? `${local.projectsDir}/${slug}/${localId}.jsonl`;
  const before = found ? statOf(found.path) : null;
  const whole = found ? readText(found.path) : null;
  if (found && (whole === null || before === null)) {
    report.skipped.push({ id: conversation.id, reason: `this machine's copy ${found.path} could not be read; left as it is` });
    return;
  }
  const mine = whole === null ? null : completeLines(whole);
  if (mine !== null) {
    const relation = relationOf(mine, incoming);
    if (relation === "same" || relation === "ahead") return;
    // Replaced only by a copy that holds every byte of it: lines only this machine has (a title
    // set here) or records the path map would write otherwise are never dropped. Else both are kept.
    if (relation === "diverged" || !incoming.startsWith(mine)) {
      if (state.aliases[localId]) {
        report.skipped.push({ id: conversation.id, reason: `diverged from ${localId} here, which is already a fork; both kept` });
        return;
      }
      // Both grew: keep the incoming copy as a fork; this machine's goes to the repository as its own fork.
      const forkId = derivedId(`${conversation.id}<${machine}`);
      state.aliases[forkId] = { repoId: conversation.id, kind: "theirs" };
      state.aliases[localId] = { repoId: derivedId(`${localId}@${machine}`), kind: "mine" };
      const forkPath = `${local.projectsDir}/${found!.project}/${forkId}.jsonl`;
      if (holders.has(forkId) || !writeConversation(dir, conversation, `${local.projectsDir}/${found!.project}`, forkId, withSessionId(incoming, localId, forkId), local, state)) {
        report.skipped.push({ id: conversation.id, reason: `its fork ${forkPath} here went on (or is open); kept as it is, and this machine's copy too` });
        return;
      }
      report.written.push({ id: conversation.id, localId: forkId, path: forkPath, how: "fork" });
      return;
    }
    const holder = holders.get(localId);
    if (holder) {
      report.skipped.push({ id: conversation.id, reason: `${holder.state === "csm" ? `csm session ${holder.session}` : `a claude (pid ${holder.pid}${holder.pidElsewhere ? " in another PID namespace" : ""})`} has it open here; pull again once it ends` });
      return;
    }
    const now = statOf(found!.path);
    if (!now || now.size !== before!.size || now.mtimeMs !== before!.mtimeMs) {
      report.skipped.push({ id: conversation.id, reason: "this machine's copy changed while it was compared; pull again" });
      return;
    }
    how = how === "fork" ? "fork" : "ahead";
  }
  const projectDir = found ? `${local.projectsDir}/${found.project}` : `${local.projectsDir}/${slug}`;
  if (!writeConversation(dir, conversation, projectDir, localId, incoming, local, state)) {
    report.skipped.push({ id: conversation.id, reason: `${path} here is not a beginning of the repository's copy; kept as it is` });
    return;
  }
  report.written.push({ id: conversation.id, localId, path, how });
}

/**
 * Writes a conversation pulled from the repository; false when this machine has a file there
 * that the text does not continue byte for byte (a fork continued here, a claude writing it):
 * that file is never replaced. It is how a pull stays right when its state was lost.
 */
function writeConversation(dir: string, conversation: RepoConversation, projectDir: string, localId: string, text: string, local: LocalSide, state: SyncState): boolean {
  const path = `${projectDir}/${localId}.jsonl`;
  const existing = readText(path);
  if (existing !== null && !text.startsWith(existing)) return false;
  writeFileAtomic(path, text);
  for (const extra of conversation.extras) {
    const content = readText(`${dir}/conversations/${conversation.pslug}/${conversation.id}/${extra}`);
    if (content === null) continue;
    const target = `${projectDir}/${localId}/${extra}`;
    const incoming = withSessionId(fromPortable(content, local.map), conversation.id, localId);
    const existing = readText(target);
    // Sub-agent transcripts only grow; other files (custom-title.json) follow the conversation.
    if (existing === null || !extra.endsWith(".jsonl") || incoming.startsWith(existing)) writeFileAtomic(target, incoming);
  }
  const stat = statSync(path);
  state.files[path] = { size: stat.size, mtimeMs: stat.mtimeMs, cwd: cwdOf(text) };
  return true;
}

function statOf(path: string): { size: number; mtimeMs: number } | null {
  try {
    const stat = statSync(path);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return null;
  }
}

function localIdFor(state: SyncState, repoId: string): string | null {
  for (const [localId, alias] of Object.entries(state.aliases)) if (alias.repoId === repoId) return localId;
  return state.aliases[repoId] ? null : repoId;
}

/** A memory file this machine has not changed since the last sync takes the repository's; one it changed is kept (and wins at its next push). */
function pullMemory(dir: string, memory: Map<string, string[]>, localSlugs: Map<string, string>, local: LocalSide, state: SyncState, report: PullReport): void {
  for (const [pslug, names] of memory) {
    const slug = localSlugs.get(pslug);
    if (!slug) continue;
    for (const name of names) {
      const repoPath = `conversations/${pslug}/memory/${name}`;
      const portable = readText(`${dir}/${repoPath}`);
      if (portable === null || missingPlaceholders(portable, local.map).length > 0) continue;
      const hash = sha256(portable);
      if (state.memory[repoPath] === hash) continue;
      const target = `${local.projectsDir}/${slug}/memory/${name}`;
      const mine = readText(target);
      // One that is there but cannot be read is kept, never taken for missing.
      if (mine === null && existsSync(target)) {
        report.memoryKept.push(target);
        continue;
      }
      const mineHash = mine === null ? null : sha256(toPortable(mine, local.map));
      if (mineHash === hash) {
        state.memory[repoPath] = hash;
      } else if (mine === null || mineHash === state.memory[repoPath]) {
        writeFileAtomic(target, fromPortable(portable, local.map));
        state.memory[repoPath] = hash;
        report.memory.push(target);
      } else {
        report.memoryKept.push(target);
      }
    }
  }
}

export type { SyncLock };
