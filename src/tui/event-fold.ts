import { skipsAsking } from "../config/permission-modes.ts";
import type { LiveSessionView } from "../core/live/live-view.ts";
import type { PublishedEvent } from "../hub/live-sessions.ts";
import type { PendingEntry } from "./model.ts";

// Keeping the dashboard's rows current between full fetches: how one event from the hub
// changes a session's status, last message, pending requests and streaming text. Cheap on
// purpose; cost and exits are fetched again (see shouldRefetch in model.ts).

/** The fields of claude's, csm's and the link's messages this fold reads (all optional). */
interface EventData {
  type?: string;
  subtype?: string;
  event?: unknown;
  model?: unknown;
  permissionMode?: unknown;
  request_id?: string;
  requestId?: string;
  request?: { subtype?: string; tool_name?: string; input?: Record<string, unknown>; tool_use_id?: string; description?: string; permission_suggestions?: unknown[]; blocked_path?: string };
  message?: { model?: string; content?: unknown };
  response?: { request_id?: string };
  result?: unknown;
  transport?: LiveSessionView["transport"];
  reason?: string;
  code?: number | null;
  signal?: string | null;
}

export interface LiveFold {
  sessions: LiveSessionView[];
  pending: PendingEntry[];
  streaming: string;
}

function textOf(content: unknown): string | null {
  if (typeof content === "string") return content || null;
  if (!Array.isArray(content)) return null;
  const text = content.map((block: { type?: string; text?: string }) => (block.type === "text" ? (block.text ?? "") : "")).join("");
  return text || null;
}

function streamedText(data: EventData): string {
  const event = data.event as { type?: string; delta?: { type?: string; text?: string } } | undefined;
  return event?.type === "content_block_delta" && event.delta?.type === "text_delta" ? (event.delta.text ?? "") : "";
}

/**
 * The cheap part of the hub's own fold (src/core/live/live-state.ts), enough for the list
 * to move between refreshes: status, pending requests, last message, model, turns. Cost
 * and exits are left to the refresh `shouldRefetch` asks for.
 */
export function foldLiveEvent(fold: LiveFold, event: PublishedEvent): LiveFold {
  const name = event.session;
  const session = fold.sessions.find((s) => s.name === name);
  if (!session) return fold;
  const data = (event.data ?? {}) as EventData;
  let pending = fold.pending;
  let streaming = fold.streaming;
  let change: Partial<LiveSessionView> = {};
  let activity = false;
  const drop = (requestId: string | undefined) => (pending = pending.filter((p) => !(p.session === name && p.requestId === requestId)));
  const dropAll = () => (pending = pending.filter((p) => p.session !== name));

  if (event.kind === "link") {
    const link = (data.event ?? "") as string;
    if (link === "linked") change = { linked: true, transport: data.transport ?? session.transport };
    if (link === "unlinked") change = { linked: false };
    if (link === "claude_started") change = { status: "idle", statusReason: null };
    if (link === "claude_exited") change = { status: "dead", statusReason: data.signal ? `claude was killed by ${data.signal}` : `claude exited with status ${data.code}` };
    if (link === "gone") change = { status: "dead", statusReason: data.reason ?? null, linked: false };
    if (change.status) dropAll();
  } else if (session.status === "dead") {
    // A dead session's claude says nothing more until a new one starts (a "link" event).
    return fold;
  } else if (event.kind === "stream") {
    streaming += streamedText(data);
    activity = true;
  } else if (event.kind === "claude") {
    activity = data.type !== "result" && data.type !== "control_cancel_request";
    if (data.type === "system" && data.subtype === "init") {
      const mode = typeof data.permissionMode === "string" ? data.permissionMode : session.permissionMode;
      change = { model: typeof data.model === "string" ? data.model : session.model, permissionMode: mode, guarded: !skipsAsking(mode) };
    }
    if (data.type === "assistant") {
      streaming = "";
      const model = data.message?.model;
      change = { lastMessage: textOf(data.message?.content) ?? session.lastMessage, model: model && model !== "<synthetic>" ? model : session.model };
    }
    if (data.type === "control_request" && data.request?.subtype === "can_use_tool" && data.request_id && !pending.some((p) => p.session === name && p.requestId === data.request_id)) {
      pending = [...pending, pendingEntry(name, data.request_id, data.request, event.at)];
    }
    if (data.type === "control_cancel_request") drop(data.request_id);
    if (data.type === "result") {
      dropAll();
      streaming = "";
      change = { status: "idle", turns: session.turns + 1, lastMessage: typeof data.result === "string" && data.result !== "" ? data.result : session.lastMessage };
    }
  } else if (event.kind === "sent") {
    activity = data.type === "user";
    if (data.type === "control_response") drop(data.response?.request_id);
  } else if (event.kind === "decision" && data.event === "decision") {
    drop(data.requestId);
  }

  const waiting = pending.filter((p) => p.session === name).length;
  let status = change.status ?? session.status;
  if (change.status === undefined && status !== "dead") {
    if (activity) status = waiting > 0 ? "waiting" : "working";
    else if (status === "waiting" && waiting === 0) status = "working";
  }
  const updated: LiveSessionView = { ...session, ...change, status, pendingApprovals: status === "dead" ? 0 : waiting };
  return { sessions: fold.sessions.map((s) => (s === session ? updated : s)), pending, streaming };
}

function pendingEntry(session: string, requestId: string, request: NonNullable<EventData["request"]>, at: string): PendingEntry {
  return {
    session,
    requestId,
    toolName: request.tool_name ?? "tool",
    input: request.input ?? {},
    toolUseId: request.tool_use_id ?? null,
    description: request.description ?? null,
    suggestions: request.permission_suggestions ?? [],
    blockedPath: request.blocked_path ?? null,
    receivedAt: at,
  };
}
