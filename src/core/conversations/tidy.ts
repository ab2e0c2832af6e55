import { checkTrashWritable, moveToTrash, TrashUnusable, type TrashEntry } from "../../adapters/conversation-trash.ts";
import { CsmError } from "../../shared/errors.ts";
import type { IndexedFile } from "../../store/conversation-index.ts";
import { holderOf } from "./conversation-holders.ts";
import { huskRule } from "./husk.ts";
import type { LocalConversations } from "./local-conversations.ts";

// What `csm gc` and `csm prune` would move to the trash, and moving it. Planning reads the
// index (brought up to date first); moving checks each file again, so a conversation that
// came back to life between the two stays where it is and is reported.

export interface TidyCandidate {
  id: string;
  host: string;
  path: string;
  reason: string;
  sizeBytes: number;
  lastActiveAt: string | null;
  /** The file as the scan saw it. */
  mtimeMs: number;
}

export interface TidyOutcome {
  moved: TrashEntry[];
  skipped: { id: string; path: string; reason: string }[];
}

const candidate = (file: IndexedFile, host: string, reason: string): TidyCandidate => ({
  id: file.id,
  host,
  path: file.path,
  reason,
  sizeBytes: file.size,
  lastActiveAt: file.facts.lastActiveAt ?? null,
  mtimeMs: file.mtimeMs,
});

/** Husks: conversations with nothing said in them (see husk.ts), each with the rule that matched. */
export function planGc(local: LocalConversations): TidyCandidate[] {
  const holders = local.currentHolders();
  return local.index.everyFile().flatMap((file) => {
    const rule = huskRule({ facts: file.facts, sizeBytes: file.size, state: holderOf(holders, file.id).state, unindexedBytes: file.size - file.offset });
    return rule ? [candidate(file, local.host, `husk: ${rule}`)] : [];
  });
}

export const DAY_MS = 86_400_000;

/**
 * Conversations idle `days` or more (by the last record's time): never one a person named,
 * one a claude or a csm session holds, or a favourite session's.
 */
export function planPrune(local: LocalConversations, days: number, favourites: ReadonlySet<string>, now = Date.now()): TidyCandidate[] {
  const holders = local.currentHolders();
  const cutoff = now - days * DAY_MS;
  return local.index.everyFile().flatMap((file) => {
    const facts = file.facts;
    if (facts.customTitle || favourites.has(file.id) || holderOf(holders, file.id).state !== "transcript") return [];
    const last = facts.lastActiveAt ? Date.parse(facts.lastActiveAt) : file.mtimeMs;
    if (!(last <= cutoff)) return [];
    return [candidate(file, local.host, `idle ${Math.floor((now - last) / DAY_MS)} days (unnamed)`)];
  });
}

/** Moves each candidate to the trash; fails before moving anything when the trash cannot be written. */
export function moveCandidates(local: LocalConversations, trashDir: string, candidates: readonly TidyCandidate[]): TidyOutcome {
  const outcome: TidyOutcome = { moved: [], skipped: [] };
  if (candidates.length === 0) return outcome;
  try {
    checkTrashWritable(trashDir);
  } catch (error) {
    if (error instanceof TrashUnusable) throw new CsmError("TrashUnusable", error.message);
    throw error;
  }
  // Who holds what, asked again right before moving: a claude may have started since the plan.
  local.forgetHolders();
  const holders = local.currentHolders();
  for (const item of candidates) {
    if (holderOf(holders, item.id).state !== "transcript") {
      outcome.skipped.push({ id: item.id, path: item.path, reason: "a claude holds it now" });
      continue;
    }
    const result = moveToTrash({
      trashDir,
      configDir: local.configDir,
      host: item.host,
      id: item.id,
      transcriptPath: item.path,
      reason: item.reason,
      expected: { size: item.sizeBytes, mtimeMs: item.mtimeMs },
    });
    if ("moved" in result) outcome.moved.push(result.moved);
    else outcome.skipped.push({ id: item.id, path: item.path, reason: result.skipped });
  }
  local.refresh();
  return outcome;
}
