import type { ClaudeToCsm, CsmToClaude } from "./protocol.ts";

// What claude's hooks say, for the native supervisor (link/native.ts), as pure functions:
// a hook payload read into a typed event, a PermissionRequest turned into the tool request
// the hub already knows (a can_use_tool control request), and csm's answer turned into the
// hook's answer. Facts: section 4 of the claude-code notes, checked against claude 2.1.330.

export type HookEvent =
  | { name: "UserPromptSubmit"; prompt: string; transcriptPath: string | null }
  | { name: "PreToolUse"; toolName: string; toolInput: unknown; toolUseId: string | null; transcriptPath: string | null }
  | { name: "PermissionRequest"; toolName: string; toolInput: Record<string, unknown>; suggestions: unknown[]; transcriptPath: string | null }
  | { name: "PostToolUse"; toolUseId: string | null; transcriptPath: string | null }
  | { name: "Stop"; lastAssistantMessage: string | null; transcriptPath: string | null }
  | { name: "SessionEnd"; reason: string | null; transcriptPath: string | null }
  | { name: "other"; event: string; transcriptPath: string | null };

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const object = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** A hook's JSON body as a typed event; null for a body that is not a hook payload. */
export function readHookEvent(payload: unknown): HookEvent | null {
  const body = object(payload);
  const event = text(body.hook_event_name);
  if (!event) return null;
  const transcriptPath = text(body.transcript_path);
  switch (event) {
    case "UserPromptSubmit":
      return { name: event, prompt: text(body.prompt) ?? "", transcriptPath };
    case "PreToolUse":
      return { name: event, toolName: text(body.tool_name) ?? "", toolInput: body.tool_input, toolUseId: text(body.tool_use_id), transcriptPath };
    case "PermissionRequest":
      return {
        name: event,
        toolName: text(body.tool_name) ?? "",
        toolInput: object(body.tool_input),
        suggestions: Array.isArray(body.permission_suggestions) ? body.permission_suggestions : [],
        transcriptPath,
      };
    case "PostToolUse":
    case "PostToolUseFailure":
      return { name: "PostToolUse", toolUseId: text(body.tool_use_id), transcriptPath };
    case "Stop":
      return { name: event, lastAssistantMessage: text(body.last_assistant_message), transcriptPath };
    case "SessionEnd":
      return { name: event, reason: text(body.reason), transcriptPath };
    default:
      return { name: "other", event, transcriptPath };
  }
}

/** A PermissionRequest carries no tool_use_id: the PreToolUse before it does, for the same tool and input. */
export const toolCallKey = (toolName: string, toolInput: unknown) => `${toolName}\u0000${JSON.stringify(toolInput ?? null)}`;

/** The hub's tool request for a PermissionRequest: what a headless claude would have sent. */
export function toolRequestFrame(requestId: string, event: Extract<HookEvent, { name: "PermissionRequest" }>, toolUseId: string | null): ClaudeToCsm {
  const description = typeof event.toolInput.description === "string" ? event.toolInput.description : undefined;
  return {
    type: "control_request",
    request_id: requestId,
    request: {
      subtype: "can_use_tool",
      tool_name: event.toolName,
      input: event.toolInput,
      ...(toolUseId ? { tool_use_id: toolUseId } : {}),
      ...(description ? { description } : {}),
      permission_suggestions: event.suggestions,
    },
  } as ClaudeToCsm;
}

/** The turn's end as the result message the hub folds (turns, idle, last message, cost). */
export function resultFrame(event: Extract<HookEvent, { name: "Stop" }>, claudeSessionId: string, costUsd: number | null): ClaudeToCsm {
  return {
    type: "result",
    subtype: "success",
    is_error: false,
    result: event.lastAssistantMessage ?? "",
    session_id: claudeSessionId,
    ...(costUsd === null ? {} : { total_cost_usd: costUsd }),
    csm_from_hooks: true,
  } as unknown as ClaudeToCsm;
}

/** csm's answer to a tool request as the PermissionRequest hook's answer; null for any other message. */
export function permissionHookAnswer(message: CsmToClaude): { requestId: string; body: Record<string, unknown> } | null {
  if (message.type !== "control_response") return null;
  const { response } = message;
  const decision = response.subtype === "success" ? object(response.response) : { behavior: "deny", message: response.error };
  const behavior = decision.behavior === "allow" ? "allow" : "deny";
  const answer =
    behavior === "allow"
      ? { behavior, ...(decision.updatedInput ? { updatedInput: decision.updatedInput } : {}) }
      : { behavior, message: text(decision.message) ?? "Denied in csm", ...(decision.interrupt === true ? { interrupt: true } : {}) };
  return { requestId: response.request_id, body: { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: answer } } };
}
