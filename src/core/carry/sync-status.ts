import { updateConfig } from "../../config/write.ts";
import type { Context } from "../context.ts";
import { fromPortable, missingPlaceholders, toPortable } from "./path-map.ts";
import { completeLines, cwdOf, relationOf, withSessionId } from "./sync-records.ts";
import { listRepo, projectCwd, readText } from "./sync-layout.ts";
import { lockIsLive, readLocks } from "./sync-lock.ts";
import { coveredBy, localSide } from "./sync-local.ts";
import { cloneSyncRepo, machineOf, readSyncRepo, syncDirOf } from "./sync-repo.ts";
import { loadSyncState } from "./sync-state.ts";

// `csm sync init` and `csm sync status`.

export type SyncRelation = "only here" | "only there" | "same" | "ahead" | "behind" | "diverged";

export interface ConversationStatus {
  id: string;
  /** The id it has in the repository, when it differs (a fork). */
  repoId?: string;
  fork?: "mine" | "theirs";
  relation: SyncRelation;
  cwd: string | null;
  lockedBy?: string;
  lockExpired?: boolean;
}

export interface SyncStatus {
  machine: string;
  repo: string;
  conversations: ConversationStatus[];
  /** Working directories here that no placeholder of the path map covers: kept as they are. */
  uncoveredPaths: string[];
  /** Files in the repository that are not csm's: left alone. */
  foreign: string[];
}

/** `csm sync init URL|PATH`: clones it into the data dir and names it in the config. */
export async function syncInit(ctx: Context, url: string): Promise<string> {
  const dir = await cloneSyncRepo(ctx, url);
  const paths = ctx.settings.paths;
  await updateConfig(ctx.host.files, paths.configFile, `${paths.stateDir}/locks/config.lock`, (raw) => {
    raw.sync = { ...((raw.sync as object | undefined) ?? {}), repo: url };
  });
  return dir;
}

export async function syncStatus(ctx: Context): Promise<SyncStatus> {
  const local = localSide(ctx);
  const machine = machineOf(ctx);
  const state = loadSyncState(syncDirOf(ctx));
  return readSyncRepo(ctx, async (dir) => {
    const listing = await listRepo(ctx, dir);
    const locks = readLocks(dir, listing.locks);
    const conversations: ConversationStatus[] = [];
    const uncovered = new Set<string>();
    const seen = new Set<string>();
    for (const file of local.transcripts) {
      const text = completeLines(readText(file.path) ?? "");
      const cwd = cwdOf(text);
      if (cwd && coveredBy(cwd, local.map) === null) uncovered.add(cwd);
      const alias = state.aliases[file.id];
      const repoId = alias?.repoId ?? file.id;
      const inRepo = listing.conversations.get(repoId);
      const status: ConversationStatus = { id: file.id, relation: "only here", cwd, ...(alias ? { repoId, fork: alias.kind } : {}) };
      if (inRepo) {
        seen.add(repoId);
        const repoText = readText(`${dir}/${inRepo.path}`) ?? "";
        status.relation = relationOf(toPortable(withSessionId(text, file.id, repoId), local.map), repoText);
        const lock = locks.get(repoId);
        if (lock) Object.assign(status, { lockedBy: lock.machine, lockExpired: !lockIsLive(lock, ctx) });
      }
      conversations.push(status);
    }
    for (const conversation of listing.conversations.values()) {
      if (seen.has(conversation.id) || state.aliases[conversation.id]) continue;
      if (local.transcripts.some((file) => file.id === conversation.id)) continue;
      const portableCwd = projectCwd(dir, conversation.pslug);
      const cwd = portableCwd && missingPlaceholders(portableCwd, local.map).length === 0 ? fromPortable(portableCwd, local.map) : portableCwd;
      const lock = locks.get(conversation.id);
      conversations.push({ id: conversation.id, relation: "only there", cwd, ...(lock ? { lockedBy: lock.machine, lockExpired: !lockIsLive(lock, ctx) } : {}) });
    }
    return { machine, repo: ctx.settings.config.sync!.repo!, conversations, uncoveredPaths: [...uncovered].sort(), foreign: listing.foreign };
  });
}
