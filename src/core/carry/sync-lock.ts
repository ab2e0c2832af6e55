import { existsSync, rmSync } from "node:fs";
import { CsmError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";
import { entriesOf, changeSyncRepo, machineOf, readSyncRepo, syncDirOf, syncRepoUrl } from "./sync-repo.ts";
import { checkNoSymlink, lockPath, readText } from "./sync-layout.ts";
import { loadSyncState, saveSyncState } from "./sync-state.ts";
import { writeFileAtomic } from "./sync-state.ts";

// Per-conversation locks in the sync repository (`locks/<id>.json`): a transcript two machines
// write at once is ruined, so resuming a synced conversation takes its lock first. A lock
// lasts 10 minutes from its last heartbeat; the hub renews the locks of conversations its
// sessions still run, and releases them when they end. A lock whose holder went quiet is
// stale: taking it over is allowed, and said.

export const LOCK_TTL_MS = 10 * 60_000;

export interface SyncLock {
  id: string;
  machine: string;
  heartbeat: string;
  expires: string;
  /** The machine whose stale lock this one replaced. */
  takenOverFrom?: string;
}

/** Now, or `CSM_SYNC_NOW` (ISO time or ms) so tests can move the clock. */
export function nowOf(ctx: Pick<Context, "env">): number {
  const fake = ctx.env.CSM_SYNC_NOW;
  if (!fake) return Date.now();
  const value = /^\d+$/.test(fake) ? Number(fake) : Date.parse(fake);
  return Number.isFinite(value) ? value : Date.now();
}

export const lockIsLive = (lock: SyncLock, ctx: Pick<Context, "env">, now = nowOf(ctx)) => Date.parse(lock.expires) > now;

export function readLocks(dir: string, ids: readonly string[]): Map<string, SyncLock> {
  const locks = new Map<string, SyncLock>();
  for (const id of ids) {
    const lock = readLock(dir, id);
    if (lock) locks.set(id, lock);
  }
  return locks;
}

function readLock(dir: string, id: string): SyncLock | null {
  const text = readText(`${dir}/${lockPath(id)}`);
  if (text === null) return null;
  try {
    const lock = JSON.parse(text) as SyncLock;
    return typeof lock.machine === "string" && typeof lock.expires === "string" ? { ...lock, id } : null;
  } catch {
    return null;
  }
}

/** Whether the repository holds conversation `id` (in any project folder). */
function inRepo(dir: string, id: string): boolean {
  return entriesOf(`${dir}/conversations`).some((entry) => entry.isDirectory() && existsSync(`${dir}/conversations/${entry.name}/${id}.jsonl`));
}

const lockedError = (lock: SyncLock, now: number) =>
  new CsmError(
    "LockBusy",
    `conversation ${lock.id} is open on ${lock.machine} (lock renewed ${Math.round((now - Date.parse(lock.heartbeat)) / 1000)} s ago, expires ${lock.expires}); quit it there, or \`csm sync lock release ${lock.id.slice(0, 8)} --force\` if ${lock.machine} is gone`,
    { data: { id: lock.id, machine: lock.machine, expires: lock.expires } },
  );

export interface TakenLock {
  lock: SyncLock;
  /** The stale lock of another machine this one replaced. */
  takenOver: SyncLock | null;
}

/**
 * Takes the lock of a local conversation for this machine: null when sync is not set up or the
 * repository does not hold the conversation. A live lock of another machine is refused.
 */
export async function takeSyncLock(ctx: Context, localId: string): Promise<TakenLock | null> {
  if (!syncRepoUrl(ctx)) return null;
  const syncDir = syncDirOf(ctx);
  const state = loadSyncState(syncDir);
  const alias = state.aliases[localId];
  if (alias?.kind === "theirs") {
    // Opening the repository's copy kept here makes it a conversation of its own from now on.
    delete state.aliases[localId];
    saveSyncState(syncDir, state);
    return null;
  }
  const repoId = alias?.repoId ?? localId;
  const machine = machineOf(ctx);
  return changeSyncRepo(ctx, `csm sync: ${machine} locks ${repoId}`, async (dir) => {
    if (!inRepo(dir, repoId)) return { paths: [], result: null };
    const now = nowOf(ctx);
    const existing = readLock(dir, repoId);
    if (existing && existing.machine !== machine && lockIsLive(existing, ctx, now)) throw lockedError(existing, now);
    const takenOver = existing && existing.machine !== machine ? existing : null;
    const lock: SyncLock = { id: repoId, machine, heartbeat: new Date(now).toISOString(), expires: new Date(now + LOCK_TTL_MS).toISOString(), ...(takenOver ? { takenOverFrom: takenOver.machine } : {}) };
    checkNoSymlink(dir, lockPath(repoId));
    writeFileAtomic(`${dir}/${lockPath(repoId)}`, `${JSON.stringify(lock)}\n`);
    return { paths: [lockPath(repoId)], result: { lock, takenOver } };
  });
}

/** What `csm resume` calls: takes the lock when the conversation is synced, and says so when it replaced a stale one. */
export async function lockForResume(ctx: Context, localId: string): Promise<void> {
  let taken: TakenLock | null;
  try {
    taken = await takeSyncLock(ctx, localId);
  } catch (error) {
    if ((error as CsmError).name === "LockBusy") throw error;
    // Offline is no reason to refuse a conversation this machine has: say the lock is missing.
    process.stderr.write(`csm: could not take the sync lock on ${localId} (${(error as Error).message}); resuming without it\n`);
    return;
  }
  if (taken?.takenOver) process.stderr.write(`csm: took over the stale sync lock of ${taken.takenOver.machine} on ${localId} (last heartbeat ${taken.takenOver.heartbeat})\n`);
}

/**
 * The hub's heartbeat: this machine's locks on conversations still running (`running` holds
 * their local ids) are renewed; its other locks are released. Returns the ids renewed.
 */
export async function renewSyncLocks(ctx: Context, running: ReadonlySet<string>): Promise<string[]> {
  const machine = machineOf(ctx);
  const state = loadSyncState(syncDirOf(ctx));
  const repoIds = new Set([...running].map((id) => state.aliases[id]?.repoId ?? id));
  return changeSyncRepo(ctx, `csm sync: ${machine} renews its locks`, async (dir) => {
    const now = nowOf(ctx);
    const paths: string[] = [];
    const renewed: string[] = [];
    for (const entry of entriesOf(`${dir}/locks`)) {
      const id = entry.name.replace(/\.json$/, "");
      const lock = readLock(dir, id);
      if (!lock || lock.machine !== machine) continue;
      if (repoIds.has(id)) {
        writeFileAtomic(`${dir}/${lockPath(id)}`, `${JSON.stringify({ ...lock, heartbeat: new Date(now).toISOString(), expires: new Date(now + LOCK_TTL_MS).toISOString() })}\n`);
        renewed.push(id);
      } else {
        rmSync(`${dir}/${lockPath(id)}`);
      }
      paths.push(lockPath(id));
    }
    return { paths, result: renewed };
  });
}

/** `csm sync lock release ID`: this machine's lock, or with `force` anyone's. */
export async function releaseSyncLock(ctx: Context, idOrPrefix: string, force: boolean): Promise<SyncLock> {
  const machine = machineOf(ctx);
  return changeSyncRepo(ctx, `csm sync: ${machine} releases ${idOrPrefix}`, async (dir) => {
    const ids = entriesOf(`${dir}/locks`).map((entry) => entry.name.replace(/\.json$/, "")).filter((id) => id.startsWith(idOrPrefix));
    if (ids.length === 0) throw new CsmError("NotFound", `no sync lock on a conversation ${idOrPrefix}… (see \`csm sync lock list\`)`);
    if (ids.length > 1) throw new CsmError("AmbiguousConversation", `${idOrPrefix} matches ${ids.length} locks: ${ids.map((id) => id.slice(0, 12)).join(", ")}; give more of the id`);
    const lock = readLock(dir, ids[0]!) ?? { id: ids[0]!, machine: "?", heartbeat: "", expires: "" };
    if (lock.machine !== machine && !force && lockIsLive(lock, ctx)) {
      throw new CsmError("LockBusy", `the lock on ${lock.id} is ${lock.machine}'s and still live (expires ${lock.expires}); pass --force if ${lock.machine} is gone`, { data: { id: lock.id, machine: lock.machine } });
    }
    rmSync(`${dir}/${lockPath(lock.id)}`);
    return { paths: [lockPath(lock.id)], result: lock };
  });
}

/** Whether the clone (as last fetched) holds a lock of this machine: the heartbeat has work only then. */
export function heldHere(ctx: Context): boolean {
  const machine = machineOf(ctx);
  const dir = `${syncDirOf(ctx)}/repo`;
  return entriesOf(`${dir}/locks`).some((entry) => readLock(dir, entry.name.replace(/\.json$/, ""))?.machine === machine);
}

export async function listSyncLocks(ctx: Context): Promise<(SyncLock & { live: boolean })[]> {
  return readSyncRepo(ctx, async (dir) => {
    const ids = entriesOf(`${dir}/locks`).map((entry) => entry.name.replace(/\.json$/, ""));
    return [...readLocks(dir, ids).values()].map((lock) => ({ ...lock, live: lockIsLive(lock, ctx) }));
  });
}
