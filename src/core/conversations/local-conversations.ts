import { conversationIndexPath } from "../../config/paths.ts";
import { claudeConfigDir } from "../../adapters/claude-files.ts";
import { CsmError } from "../../shared/errors.ts";
import { ConversationIndex, type IndexedFile } from "../../store/conversation-index.ts";
import { ArchiveStore, type ArchiveEntry } from "../../store/archive.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import type { Context } from "../context.ts";
import { findHolders, holderOf } from "./conversation-holders.ts";
import { toInfo, toRecord, type ConversationInfo, type ConversationRecord, type Holder, type SearchHit } from "./conversation-record.ts";
import { ftsQuery } from "./fts-query.ts";
import { LAST_REFRESH_KEY, refreshIndex, type RefreshReport } from "./refresh-index.ts";

// This host's conversations: the index brought up to date, then asked. A running hub keeps
// the index fresh and says so with a heartbeat; without one, each query refreshes first
// (a warm refresh stats the files and reads nothing that did not change).

/** The hub's watcher writes this while it keeps the index fresh. */
export const WATCHER_HEARTBEAT_KEY = "watcher_heartbeat";
/** A heartbeat older than this means nobody is watching. */
export const HEARTBEAT_FRESH_MS = 30_000;

export interface HistoryFilter {
  /** Only conversations whose cwd is this directory or below it. */
  project?: string;
  /** Only conversations active at or after this ISO time. */
  since?: string;
  limit: number;
}

export interface IndexStats {
  files: number;
  bytes: number;
  textRows: number;
  skipped: Record<string, number>;
  problems: { path: string; reason: string }[];
  lastRefreshAt: string | null;
}

/** The archive's word on a conversation's last csm session, read when asked (an unreadable store says nothing). */
export function archivedEnd(ctx: Context): (id: string) => ArchiveEntry | null {
  return (id) => {
    try {
      return new ArchiveStore(ctx.database()).lastEndOf(ctx.host.hostName, id);
    } catch {
      return null;
    }
  };
}

export class LocalConversations {
  private holdersCache: Map<string, Holder> | null = null;

  constructor(
    readonly index: ConversationIndex,
    readonly configDir: string,
    readonly host: string,
    private readonly sessions: () => SessionRecord[],
    /** How the last csm session that ran a conversation ended, from the archive (it outlives `csm kill`). */
    private readonly csmEnd: (id: string) => ArchiveEntry | null = () => null,
  ) {}

  static open(ctx: Context): LocalConversations {
    const configDir = claudeConfigDir(ctx.env);
    const index = ConversationIndex.open(conversationIndexPath(ctx.settings.paths, configDir));
    return new LocalConversations(index, configDir, ctx.host.hostName, () => ctx.sessions().all(ctx.host.hostName), archivedEnd(ctx));
  }

  close(): void {
    this.index.close();
  }

  refresh(): RefreshReport {
    return refreshIndex(this.index, this.configDir);
  }

  /** Refreshes unless a hub's watcher keeps the index fresh. */
  ensureFresh(now = Date.now()): RefreshReport | null {
    const heartbeat = Number(this.index.getMeta(WATCHER_HEARTBEAT_KEY) ?? 0);
    if (now - heartbeat < HEARTBEAT_FRESH_MS) return null;
    return this.refresh();
  }

  /** Who holds what is looked up again on the next query (a long-lived reader calls this). */
  forgetHolders(): void {
    this.holdersCache = null;
  }

  /** Who holds each conversation now: a csm session, or a claude process outside csm. */
  currentHolders(): Map<string, Holder> {
    return (this.holdersCache ??= findHolders(this.configDir, this.sessions()));
  }

  private holders(): Map<string, Holder> {
    return this.currentHolders();
  }

  history(filter: HistoryFilter): ConversationRecord[] {
    const files = this.index.recent({ cwdPrefix: filter.project, since: filter.since, limit: filter.limit });
    const holders = this.holders();
    return files.map((file) => toRecord(file, this.host, holderOf(holders, file.id)));
  }

  search(query: string, limit: number): SearchHit[] {
    const match = ftsQuery(query);
    if (match === null) return [];
    const holders = this.holders();
    return this.index.search(match, limit).map(({ file, snippet, rank }) => ({ ...toRecord(file, this.host, holderOf(holders, file.id)), snippet, rank }));
  }

  /** Conversations `ref` names: by full id, else id prefix or title; or the csm session running it. */
  candidates(ref: string): IndexedFile[] {
    const session = this.sessions().find((record) => record.name === ref && record.claudeSessionId);
    const byId = session ? this.index.lookup(session.claudeSessionId!).filter((file) => file.id === session.claudeSessionId) : [];
    const matches = byId.length > 0 ? byId : this.index.lookup(ref);
    const exact = matches.filter((file) => file.id === ref);
    // The same id in two project dirs (a copied file): the most recently active one.
    const seen = new Set<string>();
    return (exact.length > 0 ? exact : matches).filter((file) => !seen.has(file.id) && seen.add(file.id));
  }

  find(ref: string): IndexedFile {
    return exactlyOne(ref, this.host, this.candidates(ref));
  }

  /** Every match of `ref` with its details (a remote host answers `csm info --matches` so). */
  infos(ref: string): ConversationInfo[] {
    return this.candidates(ref).map((file) => this.describe(file));
  }

  info(ref: string): ConversationInfo {
    return this.describe(this.find(ref));
  }

  private describe(file: IndexedFile): ConversationInfo {
    return toInfo(file, this.host, holderOf(this.holders(), file.id), this.endReason(file));
  }

  private endReason(file: IndexedFile): string | null {
    const session = this.sessions().find((record) => record.claudeSessionId === file.id);
    if (session && session.exitStatus !== null) {
      return `claude exited with status ${session.exitStatus}${session.exitedAt ? ` at ${session.exitedAt}` : ""} (csm session ${session.name})`;
    }
    // A session killed since, or one whose tmux went away: the archive kept how. Not when
    // the conversation went on after (resumed by hand): then the transcript says how it ended.
    const ended = session ? null : this.csmEnd(file.id);
    const lastActive = file.facts.lastActiveAt;
    if (!ended || (lastActive && Date.parse(lastActive) > Date.parse(ended.endedAt))) return null;
    return `${ended.endReason} at ${ended.endedAt} (csm session ${ended.name})`;
  }

  stats(): IndexStats {
    const skipped: Record<string, number> = {};
    let partial = 0;
    for (const file of this.index.allFiles().values()) if (file.offset < file.size) partial += 1;
    for (const facts of this.index.allFacts()) for (const [reason, count] of Object.entries(facts.skipped)) skipped[reason] = (skipped[reason] ?? 0) + (count ?? 0);
    if (partial > 0) skipped["partial-last-line"] = partial;
    const last = this.index.getMeta(LAST_REFRESH_KEY);
    return { ...this.index.totals(), skipped, problems: this.index.problems(), lastRefreshAt: last ? new Date(Number(last)).toISOString() : null };
  }
}

/** The one conversation of `matches`, or the error that says why not. */
export function exactlyOne<T extends { id: string }>(ref: string, where: string, matches: readonly T[]): T {
  if (matches.length === 0) throw new CsmError("NoSuchConversation", `no conversation matches ${JSON.stringify(ref)} on ${where} (see \`csm history\`)`, { data: { ref } });
  if (matches.length > 1) {
    const ids = matches.map((match) => ("host" in match ? `${match.id}@${String(match.host)}` : match.id));
    const shown = ids.slice(0, 5).join(", ");
    throw new CsmError("AmbiguousConversation", `${JSON.stringify(ref)} matches ${ids.length} conversations (${shown}${ids.length > 5 ? ", …" : ""}); give more of the id, or --host`, { data: { ref, ids } });
  }
  return matches[0]!;
}
