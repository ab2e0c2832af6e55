import type { Transport } from "../../link/transport.ts";
import type { ClaudeToCsm, ContentBlock, CsmToClaude, ResultMessage } from "../../link/protocol.ts";
import type { SessionStatus } from "../sessions/session-view.ts";

// What the hub knows live about one session, folded from the event log. Pure: the same
// events give the same state, so a restarted hub rebuilds it by replaying the store.

export type { Transport };

export interface PendingRequest {
  requestId: string;
  toolName: string;
  input: Record<string, unknown>;
  toolUseId: string | null;
  description: string | null;
  suggestions: unknown[];
  blockedPath: string | null;
  receivedAt: string;
}

export interface LiveState {
  status: SessionStatus;
  statusReason: string | null;
  linked: boolean;
  claudeSessionId: string | null;
  model: string | null;
  /** claude's permission mode as its init message reports it; null until one arrives. */
  permissionMode: string | null;
  /** Completed turns (results), across every claude process of the session. */
  turns: number;
  /** claude's total_cost_usd is per process: costs of earlier processes are kept apart. */
  earlierProcessesCostUsd: number;
  processCostUsd: number;
  lastMessage: string | null;
  pending: PendingRequest[];
  lastActivityAt: string | null;
}

/** Events that are not claude's own messages: the link, the process, what csm sent. */
export type LinkEvent =
  | { event: "linked"; transport: Transport }
  | { event: "unlinked" }
  /** `starting`: a native claude that is not yet ready for a prompt (native_ready says when it is). */
  | { event: "claude_started"; pid?: number; claudeSessionId?: string; starting?: boolean }
  /** A native claude is up and ready for a prompt. */
  | { event: "native_ready" }
  /** A native claude's state, from its hooks or (for an Esc, which fires none) its status file. */
  | { event: "native_state"; status: "working" | "idle" | "waiting"; reason: string | null; permissionMode?: string | null }
  /** claude's permission mode as its hooks report it (a native claude; shift-tab changes it). */
  | { event: "permission_mode"; permissionMode: string }
  /** A native claude went on in a new conversation (`/clear`): its id from now on. */
  | { event: "conversation"; claudeSessionId: string }
  /** claude's own total cost for this process, as its statusLine input says (a native claude). */
  | { event: "cost"; processCostUsd: number }
  | { event: "claude_exited"; code: number | null; signal?: string | null; sessionEnd?: string }
  | { event: "gone"; reason: string }
  /** claude no longer waits for this request (the bridge's report after a relink says so). */
  | { event: "request_withdrawn"; requestId: string; reason: string };

/** Link events for the log only: favourite, protocol errors, notes from the hub. */
export interface OtherLinkEvent {
  event: string;
  [field: string]: unknown;
}

export function initialLiveState(): LiveState {
  return {
    status: "starting",
    statusReason: null,
    linked: false,
    claudeSessionId: null,
    model: null,
    permissionMode: null,
    turns: 0,
    earlierProcessesCostUsd: 0,
    processCostUsd: 0,
    lastMessage: null,
    pending: [],
    lastActivityAt: null,
  };
}

export const costUsd = (state: LiveState) => state.earlierProcessesCostUsd + state.processCostUsd;

const afterActivity = (state: LiveState): SessionStatus => (state.pending.length > 0 ? "waiting" : "working");

function textOf(content: string | ContentBlock[]): string | null {
  if (typeof content === "string") return content;
  const text = content
    .filter((block): block is Extract<ContentBlock, { type: "text" }> => block.type === "text")
    .map((block) => block.text)
    .join("");
  return text === "" ? null : text;
}

export function applyClaudeMessage(state: LiveState, message: ClaudeToCsm, at: string): LiveState {
  const next = { ...state, lastActivityAt: at };
  if (state.status === "dead") return next;
  switch (message.type) {
    case "system":
      if (message.subtype === "init") {
        return {
          ...next,
          status: afterActivity(state),
          statusReason: null,
          claudeSessionId: (message.session_id as string) || state.claudeSessionId,
          model: (message.model as string) || state.model,
          permissionMode: (message.permissionMode as string) || state.permissionMode,
        };
      }
      // system/status reports a mode change within the process (shift-tab, set_permission_mode).
      if (message.subtype === "status" && typeof message.permissionMode === "string") return { ...next, permissionMode: message.permissionMode };
      return next;
    case "assistant": {
      const text = textOf(message.message.content);
      // Read from a native claude's transcript, maybe after the turn's end: news, not a state.
      const status = fromTranscript(message) ? state.status : afterActivity(state);
      return { ...next, status, model: message.message.model === "<synthetic>" ? state.model : message.message.model, lastMessage: text ?? state.lastMessage };
    }
    case "user":
    case "stream_event":
      return { ...next, status: fromTranscript(message) ? state.status : afterActivity(state) };
    case "result":
      return applyResult(next, message);
    case "control_request": {
      if (message.request.subtype !== "can_use_tool") return next;
      const request = message.request as Extract<typeof message.request, { subtype: "can_use_tool" }>;
      if (state.pending.some((p) => p.requestId === message.request_id)) return next;
      const pending: PendingRequest = {
        requestId: message.request_id,
        toolName: request.tool_name,
        input: request.input,
        toolUseId: request.tool_use_id ?? null,
        description: (request.description as string | undefined) ?? null,
        suggestions: (request.permission_suggestions as unknown[] | undefined) ?? [],
        blockedPath: (request.blocked_path as string | undefined) ?? null,
        receivedAt: at,
      };
      return { ...next, status: "waiting", pending: [...state.pending, pending] };
    }
    case "control_cancel_request":
      return withoutPending(next, message.request_id);
    default:
      return next;
  }
}

const fromTranscript = (message: ClaudeToCsm) => (message as { csm_from_transcript?: boolean }).csm_from_transcript === true;

function applyResult(state: LiveState, result: ResultMessage): LiveState {
  // The turn is over: whatever it asked and was not answered (an interrupt, a deny that
  // stopped the turn) is no longer waiting for anyone.
  return {
    ...state,
    pending: [],
    status: "idle",
    statusReason: result.is_error ? `last turn ended in an error (${result.terminal_reason ?? result.subtype})` : null,
    turns: state.turns + 1,
    processCostUsd: typeof result.total_cost_usd === "number" ? result.total_cost_usd : state.processCostUsd,
    claudeSessionId: (result.session_id as string) || state.claudeSessionId,
    lastMessage: typeof result.result === "string" && result.result !== "" ? result.result : state.lastMessage,
  };
}

function withoutPending(state: LiveState, requestId: string): LiveState {
  const pending = state.pending.filter((p) => p.requestId !== requestId);
  if (pending.length === state.pending.length) return state;
  return { ...state, pending, status: state.status === "waiting" && pending.length === 0 ? "working" : state.status };
}

/** csm decided a request (a rule or a person): it is no longer waiting for anyone. */
export function applyDecision(state: LiveState, requestId: string, at: string): LiveState {
  return withoutPending({ ...state, lastActivityAt: at }, requestId);
}

/** What csm sent to claude: a prompt starts work, an answer settles a pending request. */
export function applySent(state: LiveState, message: CsmToClaude, at: string): LiveState {
  if (state.status === "dead") return state;
  if (message.type === "user") return { ...state, status: afterActivity(state), statusReason: null, lastActivityAt: at };
  if (message.type === "control_response") return withoutPending({ ...state, lastActivityAt: at }, message.response.request_id);
  return state;
}

export function applyLinkEvent(state: LiveState, linkEvent: LinkEvent | OtherLinkEvent, at: string): LiveState {
  const event = linkEvent as LinkEvent;
  switch (event.event) {
    case "linked":
      return { ...state, linked: true };
    case "unlinked":
      return { ...state, linked: false };
    case "claude_started":
      // A new claude process, waiting for input; its total_cost_usd starts again from zero.
      return {
        ...state,
        status: event.starting ? "starting" : "idle",
        statusReason: null,
        pending: [],
        earlierProcessesCostUsd: costUsd(state),
        processCostUsd: 0,
        claudeSessionId: event.claudeSessionId ?? state.claudeSessionId,
        lastActivityAt: at,
      };
    case "claude_exited":
      return {
        ...state,
        status: "dead",
        statusReason: `${event.signal ? `claude was killed by ${event.signal}` : `claude exited with status ${event.code}`}${event.sessionEnd ? ` (its session ended: ${event.sessionEnd})` : ""}`,
        pending: [],
        lastActivityAt: at,
      };
    case "gone":
      return { ...state, status: "dead", statusReason: event.reason, pending: [], linked: false, lastActivityAt: at };
    case "request_withdrawn":
      return withoutPending(state, event.requestId);
    case "native_ready":
      return state.status === "starting" ? { ...state, status: "idle", lastActivityAt: at } : state;
    case "native_state":
      if (state.status === "dead") return state;
      return {
        ...state,
        status: event.status === "working" ? afterActivity(state) : event.status,
        statusReason: event.reason,
        permissionMode: event.permissionMode ?? state.permissionMode,
        lastActivityAt: at,
      };
    case "conversation":
      return { ...state, claudeSessionId: event.claudeSessionId };
    case "permission_mode":
      return { ...state, permissionMode: event.permissionMode };
    case "cost":
      return typeof event.processCostUsd === "number" ? { ...state, processCostUsd: event.processCostUsd } : state;
    default:
      // Other link events (favourite, protocol errors, notes from the hub) are for the log only.
      return state;
  }
}
