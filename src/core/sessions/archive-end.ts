import { removePaneLog } from "../../host/pane-log.ts";
import { ArchiveStore, type ArchiveEntry, type EndKind, type LastToolUse, type NewArchiveEntry } from "../../store/archive.ts";
import { EventStore, type StoredEvent } from "../../store/events.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { toolInputSummary } from "../conversations/record-text.ts";
import type { Context } from "../context.ts";
import { paneLogPath } from "./archive-pane-log.ts";
import { foldEvent } from "../live/fold-event.ts";
import { costUsd, initialLiveState, type LiveState } from "../live/live-state.ts";

// When a session ends (claude exits, tmux goes away, `csm kill`), what is kept of it: the
// hub records the end as soon as it sees it, `kill` before it removes the session (its
// events go with it). Everything an entry says is taken from the session's record, its live
// state and the tail of its event log, because none of them outlives the kill.

/** Events looked at for the last tool use and the last error. */
const TAIL_EVENTS = 500;
const MAX_ERROR_CHARS = 500;
export const KILLED_BY_USER = "killed by the user (csm kill)";

export interface EndFacts {
  kind: EndKind;
  reason: string;
  exitStatus: number | null;
  signal: string | null;
}

/**
 * How a session died, from the reason its live state or tmux gives (see live-state.ts
 * applyLinkEvent and session-view.ts statusOf, whose words these are).
 */
export function classifyEnd(reason: string): EndFacts {
  const facts = (kind: EndKind, exitStatus: number | null = null, signal: string | null = null): EndFacts => ({ kind, reason, exitStatus, signal });
  const signal = /^claude was killed by (\S+)$/.exec(reason);
  if (signal) return facts("signal", null, signal[1]!);
  const exit = /^claude exited with status (-?\d+)$/.exec(reason);
  if (exit) return facts("exit", Number(exit[1]));
  if (reason === "claude exited" || reason === "claude exited with status null") return facts("exit");
  if (/^tmux session \S+ is gone$/.test(reason)) return facts("tmux-gone");
  if (reason === "the agent window was closed") return facts("window-closed");
  if (reason === KILLED_BY_USER) return facts("killed");
  return facts("exit");
}

/** The session's live state as the store holds it: the snapshot, then the events after it. */
export function storedLiveState(ctx: Context, name: string): LiveState {
  const host = ctx.host.hostName;
  const saved = ctx.sessions().liveSnapshot(host, name);
  let state = saved ? (saved.snapshot as LiveState) : initialLiveState();
  const events = new EventStore(ctx.database());
  for (let after = saved?.seq ?? 0; ; ) {
    const batch = events.after(host, name, after, 5000);
    for (const event of batch) state = foldEvent(state, event);
    if (batch.length < 5000) break;
    after = batch.at(-1)!.seq;
  }
  return state;
}

interface Block {
  type?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  is_error?: boolean;
  content?: unknown;
}

const blocksOf = (message: { message?: { content?: unknown } }): Block[] => {
  const content = message.message?.content;
  return Array.isArray(content) ? (content as Block[]) : [];
};

const textOfContent = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? (content as Block[]).map((block) => (typeof (block as { text?: unknown }).text === "string" ? (block as { text: string }).text : "")).join("")
      : "";

const clip = (text: string) => (text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text);

/** The last tool claude called and the last error it met, from the newest events. Pure. */
export function lastToolAndError(events: readonly StoredEvent[]): { lastTool: LastToolUse | null; lastError: string | null } {
  let lastTool: (LastToolUse & { id: string | null }) | null = null;
  let lastError: string | null = null;
  for (const event of events) {
    const data = event.data as { type?: string; event?: string; message?: unknown; is_error?: boolean; subtype?: string; terminal_reason?: string; result?: unknown };
    if (event.kind === "claude" && data.type === "assistant") {
      for (const block of blocksOf(data as { message?: { content?: unknown } })) {
        if (block.type !== "tool_use" || typeof block.name !== "string") continue;
        lastTool = { id: block.id ?? null, name: block.name, input: toolInputSummary(block.name, block.input), at: event.at, answered: false };
      }
    } else if (event.kind === "claude" && data.type === "user") {
      for (const block of blocksOf(data as { message?: { content?: unknown } })) {
        if (block.type !== "tool_result") continue;
        if (lastTool && block.tool_use_id === lastTool.id) lastTool.answered = true;
        if (block.is_error) lastError = clip(`${lastTool && block.tool_use_id === lastTool.id ? `${lastTool.name}: ` : ""}${textOfContent(block.content)}`);
      }
    } else if (event.kind === "claude" && data.type === "result" && data.is_error) {
      const text = typeof data.result === "string" && data.result !== "" ? `: ${data.result}` : "";
      lastError = clip(`the turn ended in an error (${data.terminal_reason ?? data.subtype ?? "error"})${text}`);
    } else if (event.kind === "link" && data.event === "hub_error") {
      lastError = clip(`hub: ${String((data as { message?: unknown }).message ?? "")}`);
    }
  }
  if (!lastTool) return { lastTool: null, lastError };
  const { id: _id, ...tool } = lastTool;
  return { lastTool: tool, lastError };
}

export interface EndRequest {
  /** The live state at the end (the hub's own); folded from the store when not given. */
  state?: LiveState;
  /** Why it ended, when the live state does not say (tmux's word, or the user's kill). */
  reason?: string;
  at?: string;
}

/** The entry for this end, from the record, the live state and the event log's tail. */
export function archiveEntryOf(ctx: Context, record: SessionRecord, state: LiveState, end: EndFacts, at: string): NewArchiveEntry {
  const tail = new EventStore(ctx.database()).tail(record.host, record.name, TAIL_EVENTS);
  const { lastTool, lastError } = lastToolAndError(tail);
  return {
    host: record.host,
    name: record.name,
    repo: record.repo,
    branch: record.branch,
    worktree: record.worktree,
    claudeSessionId: state.claudeSessionId ?? record.claudeSessionId,
    transport: record.transport,
    startedAt: record.createdAt,
    endedAt: at,
    endKind: end.kind,
    endReason: end.reason,
    exitStatus: end.exitStatus,
    signal: end.signal,
    turns: state.turns,
    costUsd: costUsd(state),
    lastTool,
    lastMessage: state.lastMessage,
    lastError,
    paneLog: paneLogPath(ctx, record),
  };
}

/**
 * Records that a session ended (the hub, when it finds it dead). The reason is the live
 * state's when it says dead, else `request.reason`.
 */
export function recordSessionEnd(ctx: Context, name: string, request: EndRequest = {}): ArchiveEntry | null {
  const record = ctx.sessions().get(ctx.host.hostName, name);
  if (!record) return null;
  const state = request.state ?? storedLiveState(ctx, name);
  const reason = state.status === "dead" && state.statusReason ? state.statusReason : (request.reason ?? state.statusReason ?? "claude exited");
  const end = classifyEnd(reason);
  // A bridge that outlived its hub wrote when claude exited: that, not when a hub noticed.
  const noticed = state.status === "dead" && !request.at ? (state.lastActivityAt ?? new Date().toISOString()) : (request.at ?? new Date().toISOString());
  const at = end.kind === "exit" && record.exitedAt ? record.exitedAt : noticed;
  return new ArchiveStore(ctx.database()).recordEnd(archiveEntryOf(ctx, record, state, end, at));
}

/**
 * `csm kill`: keeps the entry before the record goes. A session that had ended already keeps
 * that end (and is marked removed); one still running ends here, killed by the user.
 * `deadReason` is tmux's word for a session it shows dead that the live state missed.
 */
export function archiveOnKill(ctx: Context, record: SessionRecord, deadReason: string | null, now = new Date()): ArchiveEntry {
  const archive = new ArchiveStore(ctx.database());
  const state = storedLiveState(ctx, record.name);
  const existing = archive.forLife(record.host, record.name, record.createdAt);
  const removedAt = now.toISOString();
  if (state.status === "dead" && existing) {
    archive.markRemoved(existing.id, removedAt);
    return { ...existing, removedAt };
  }
  const reason = state.status === "dead" && state.statusReason ? state.statusReason : (deadReason ?? KILLED_BY_USER);
  const at = reason === KILLED_BY_USER ? removedAt : (state.status === "dead" ? state.lastActivityAt : null) ?? removedAt;
  const entry = archive.recordEnd(archiveEntryOf(ctx, record, state, classifyEnd(reason), at));
  archive.markRemoved(entry.id, removedAt);
  return { ...entry, removedAt };
}

export const DEFAULT_ARCHIVE_RETENTION_DAYS = 90;

/** Removes entries older than the retention setting, with their pane logs; returns how many. */
export function pruneArchive(ctx: Context, now: Date): number {
  const days = ctx.settings.config.archiveRetentionDays ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
  const removed = new ArchiveStore(ctx.database()).prune(now, days);
  for (const entry of removed) if (entry.paneLog) removePaneLog(entry.paneLog);
  return removed.length;
}
