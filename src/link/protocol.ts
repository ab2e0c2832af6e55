// The stream-json messages csm exchanges with claude (`-p --input-format stream-json
// --output-format stream-json --verbose --permission-prompt-tool stdio`), as measured on
// claude 2.1.330; see /work/shared/docs/claude-code.md §3. Claude adds fields often, so every
// shape keeps an index signature and csm reads only the fields named here.
// Pure: types and constructors, no I/O.

export type PermissionMode = "default" | "acceptEdits" | "plan" | "bypassPermissions" | "auto" | "dontAsk";

type Open = { [field: string]: unknown };

// ---- content blocks ----

export interface TextBlock extends Open {
  type: "text";
  text: string;
}

export interface ToolUseBlock extends Open {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ToolResultBlock extends Open {
  type: "tool_result";
  tool_use_id: string;
  content: string | TextBlock[];
  is_error?: boolean;
}

export interface ThinkingBlock extends Open {
  type: "thinking";
  thinking: string;
}

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock;

// ---- csm → claude ----

/**
 * A prompt. Claude ignores `session_id` on input; "" is what the SDKs send. With a `uuid`,
 * claude reports the prompt's progress in command_lifecycle messages.
 */
export interface UserInput {
  type: "user";
  message: { role: "user"; content: string | ContentBlock[] };
  parent_tool_use_id: null;
  session_id: string;
  uuid?: string;
}

export type PermissionDecision =
  /** `updatedInput` is required; claude runs the tool with it, so a changed input runs as changed. */
  | { behavior: "allow"; updatedInput: Record<string, unknown> }
  /**
   * The model sees `message` as the tool's error result and carries on. With `interrupt` the
   * turn stops instead (`terminal_reason: "aborted_tools"`) and the model is shown claude's
   * generic rejection text, not `message`.
   */
  | { behavior: "deny"; message: string; interrupt?: boolean };

export type ControlResponseBody =
  | { subtype: "success"; request_id: string; response?: Open }
  | { subtype: "error"; request_id: string; error: string; error_code?: string };

/** Sent both ways: csm answers can_use_tool with it, claude answers csm's control requests with it. */
export interface ControlResponse {
  type: "control_response";
  response: ControlResponseBody;
}

/** What csm may ask of a running claude; each is answered by a control_response with the same id. */
export type OutgoingControlRequestBody =
  | { subtype: "initialize" }
  /** Stops the current turn; a pending can_use_tool is withdrawn with a control_cancel_request. */
  | { subtype: "interrupt" }
  | { subtype: "set_permission_mode"; mode: PermissionMode }
  /** Without a model claude goes back to its default. Claude then sends a one-token probe request. */
  | { subtype: "set_model"; model?: string }
  /** Claude writes a custom-title record to its transcript, as `/rename` does. */
  | { subtype: "rename_session"; title: string }
  /** Claude answers, then exits: 0 if the last turn succeeded, 1 if it ended in an error. */
  | { subtype: "end_session" };

export interface OutgoingControlRequest {
  type: "control_request";
  request_id: string;
  request: OutgoingControlRequestBody;
}

export type CsmToClaude = UserInput | ControlResponse | OutgoingControlRequest;

// ---- claude → csm ----

interface SessionScoped extends Open {
  session_id: string;
  uuid: string;
}

/** First line of every turn, not only the first one. */
export interface SystemInit extends SessionScoped {
  type: "system";
  subtype: "init";
  cwd: string;
  model: string;
  tools: string[];
  permissionMode: PermissionMode;
  claude_code_version: string;
  apiKeySource?: string;
}

/** Claude has more subtypes (init, status, api_retry seen; compaction and hooks add others). */
export interface SystemMessage extends SessionScoped {
  type: "system";
  subtype: string;
}

export interface ApiRetry extends SessionScoped {
  type: "system";
  subtype: "api_retry";
  attempt: number;
  max_retries: number;
  retry_delay_ms: number;
  error_status: number | null;
  error: string;
}

/** One content block per line; the blocks of one API message share `message.id`. */
export interface AssistantMessage extends SessionScoped {
  type: "assistant";
  message: {
    id: string;
    model: string;
    role: "assistant";
    content: ContentBlock[];
    stop_reason: string | null;
    usage?: Usage;
  } & Open;
  parent_tool_use_id: string | null;
  /** Set on the synthetic message (model "<synthetic>") claude emits when the API failed for good. */
  is_api_error_message?: boolean;
  api_error_status?: number | null;
  /** Set on the partial message left by an interrupt during streaming. */
  aborted?: boolean;
}

/** Claude's echo of what it sends the model as the user: tool results and interrupt markers. */
export interface UserMessage extends SessionScoped {
  type: "user";
  message: { role: "user"; content: string | ContentBlock[] };
  parent_tool_use_id: string | null;
}

export interface Usage extends Open {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface PermissionDenial {
  tool_name: string;
  tool_use_id: string;
  tool_input: Record<string, unknown>;
}

/** Ends a turn. An interrupted turn has subtype "error_during_execution"; an API failure keeps "success" with is_error. */
export interface ResultMessage extends SessionScoped {
  type: "result";
  subtype: "success" | "error_during_execution" | "error_max_turns" | (string & {});
  is_error: boolean;
  /** API round trips in this turn. */
  num_turns: number;
  /** For the whole process so far, not this turn. */
  total_cost_usd: number;
  duration_ms: number;
  duration_api_ms: number;
  result?: string;
  usage: Usage;
  modelUsage: Record<string, Open & { costUSD: number }>;
  permission_denials: PermissionDenial[];
  /** Seen: completed, aborted_tools, aborted_streaming, api_error. */
  terminal_reason: string;
  api_error_status?: number | null;
}

/** A raw Messages API SSE event, only with --include-partial-messages. */
export interface StreamEventMessage extends SessionScoped {
  type: "stream_event";
  event: { type: string } & Open;
  parent_tool_use_id: string | null;
}

export interface CanUseToolRequest extends Open {
  subtype: "can_use_tool";
  tool_name: string;
  input: Record<string, unknown>;
  tool_use_id: string;
  description?: string;
  permission_suggestions?: unknown[];
  blocked_path?: string;
}

/** Claude asks; it waits for a control_response with the same request_id. */
export interface IncomingControlRequest {
  type: "control_request";
  request_id: string;
  request: CanUseToolRequest | ({ subtype: string } & Open);
}

/** Claude withdrew a request (an interrupt, or a hook answered first): drop it from the pending list. */
export interface ControlCancelRequest {
  type: "control_cancel_request";
  request_id: string;
}

/** Progress of a prompt that was sent with a `uuid`: "queued", "started", then "completed". */
export interface CommandLifecycle extends SessionScoped {
  type: "command_lifecycle";
  command_uuid: string;
  state: "queued" | "started" | "completed" | (string & {});
}

export type ClaudeToCsm =
  | SystemMessage
  | AssistantMessage
  | UserMessage
  | ResultMessage
  | StreamEventMessage
  | IncomingControlRequest
  | ControlResponse
  | ControlCancelRequest
  | CommandLifecycle;

const claudeToCsmTypes = new Set<unknown>([
  "system",
  "assistant",
  "user",
  "result",
  "stream_event",
  "control_request",
  "control_response",
  "control_cancel_request",
  "command_lifecycle",
]);

/** Only checks the `type` tag; a value that fails is a message kind csm does not know yet. */
export function isClaudeToCsm(value: unknown): value is ClaudeToCsm {
  return typeof value === "object" && value !== null && claudeToCsmTypes.has((value as { type?: unknown }).type);
}

export function isSystemInit(message: ClaudeToCsm): message is SystemInit {
  return message.type === "system" && message.subtype === "init";
}

export function isApiRetry(message: ClaudeToCsm): message is ApiRetry {
  return message.type === "system" && message.subtype === "api_retry";
}

export function isCanUseTool(
  message: ClaudeToCsm,
): message is IncomingControlRequest & { request: CanUseToolRequest } {
  return message.type === "control_request" && message.request.subtype === "can_use_tool";
}

// ---- constructors ----

export function userMessage(text: string, uuid?: string): UserInput {
  const message: UserInput = { type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: "" };
  return uuid === undefined ? message : { ...message, uuid };
}

export function permissionResponse(requestId: string, decision: PermissionDecision): ControlResponse {
  return { type: "control_response", response: { subtype: "success", request_id: requestId, response: decision } };
}

export function allowResponse(requestId: string, updatedInput: Record<string, unknown>): ControlResponse {
  return permissionResponse(requestId, { behavior: "allow", updatedInput });
}

export function denyResponse(requestId: string, message: string, interrupt = false): ControlResponse {
  return permissionResponse(requestId, interrupt ? { behavior: "deny", message, interrupt } : { behavior: "deny", message });
}

/** For a control request from claude that csm does not handle, so claude does not wait forever. */
export function errorResponse(requestId: string, error: string): ControlResponse {
  return { type: "control_response", response: { subtype: "error", request_id: requestId, error } };
}

export function controlRequest(requestId: string, request: OutgoingControlRequestBody): OutgoingControlRequest {
  return { type: "control_request", request_id: requestId, request };
}

export const initializeRequest = (requestId: string) => controlRequest(requestId, { subtype: "initialize" });
export const interruptRequest = (requestId: string) => controlRequest(requestId, { subtype: "interrupt" });
export const endSessionRequest = (requestId: string) => controlRequest(requestId, { subtype: "end_session" });

export const setPermissionModeRequest = (requestId: string, mode: PermissionMode) =>
  controlRequest(requestId, { subtype: "set_permission_mode", mode });

export const setModelRequest = (requestId: string, model?: string) =>
  controlRequest(requestId, model === undefined ? { subtype: "set_model" } : { subtype: "set_model", model });

/**
 * On an answer from the hub: the decision it carries out, for the log. The bridge and the
 * native supervisor never give it to claude, and send it back in their report of what
 * claude got (see hub/agent-link.ts, send).
 */
export const DECISION_FIELD = "csm_decision";
