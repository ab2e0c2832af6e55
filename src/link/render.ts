import { printable } from "../shared/printable.ts";
import type { ClaudeToCsm, ContentBlock } from "./protocol.ts";

// How the bridge shows the conversation in the agent pane, so `csm attach` gives a
// person something readable. Pure: a message in, lines out.
//
// The pane is a real terminal, and everything in a message came from claude, its tools or
// the files they read: a tool's output holding `ESC ] 0 ; title BEL` would retitle the pane.
// So all of it is made printable here, and every palette makes what it styles printable
// too, because the bridge prints claude's stderr through the palette alone.

const shown = (text: string) => printable(text, { multiline: true });

/** Each function takes plain text (never another palette call's output) and returns it styled and printable. */
export interface Palette {
  dim(text: string): string;
  bold(text: string): string;
  accent(text: string): string;
  warn(text: string): string;
}

const ansi = (code: string) => (text: string) => `\x1b[${code}m${shown(text)}\x1b[0m`;
export const colours: Palette = { dim: ansi("2"), bold: ansi("1"), accent: ansi("1;36"), warn: ansi("33") };
export const plain: Palette = { dim: shown, bold: shown, accent: shown, warn: shown };

const MAX_RESULT_LINES = 4;

/** The one input a tool is mostly about: a command, a path, a pattern, a URL. */
export function primaryInputText(tool: string, input: Record<string, unknown>): string {
  for (const key of ["command", "file_path", "notebook_path", "pattern", "url", "query", "path"]) {
    if (typeof input[key] === "string") return input[key] as string;
  }
  return JSON.stringify(input);
}

function blockText(content: string | ContentBlock[]): string {
  if (typeof content === "string") return content;
  return content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

function clip(text: string): string[] {
  const lines = shown(text).split("\n");
  return lines.length <= MAX_RESULT_LINES ? lines : [...lines.slice(0, MAX_RESULT_LINES), `… ${lines.length - MAX_RESULT_LINES} more lines`];
}

export function renderClaudeMessage(message: ClaudeToCsm, p: Palette): string[] {
  switch (message.type) {
    case "system":
      if (message.subtype === "init") return [p.dim(`── ${message.model as string} · claude ${message.claude_code_version as string} ──`)];
      if (message.subtype === "api_retry") return [p.warn(`API error, retrying (attempt ${message.attempt as number})`)];
      return [];
    case "assistant":
      return message.message.content.flatMap((block): string[] => {
        if (block.type === "text") return [`${p.accent("claude")} ${shown(block.text)}`];
        if (block.type === "tool_use") return [`${p.accent("⚙")} ${p.bold(block.name)} ${shown(primaryInputText(block.name, block.input))}`];
        return [];
      });
    case "user": {
      const content = message.message.content;
      if (typeof content === "string") return [p.dim(content)];
      return content.flatMap((block) => {
        if (block.type !== "tool_result") return [];
        const text = blockText(block.content);
        return clip(text === "" ? "(no output)" : text).map((line) => p.dim(`  ↳ ${line}`));
      });
    }
    case "control_request":
      if (message.request.subtype === "can_use_tool") {
        const tool = message.request.tool_name as string;
        return [p.warn(`? ${tool} ${primaryInputText(tool, message.request.input as Record<string, unknown>)} — waiting for approval in csm`)];
      }
      return [];
    case "result": {
      const cost = typeof message.total_cost_usd === "number" ? ` · $${message.total_cost_usd.toFixed(4)}` : "";
      const how = message.is_error ? p.warn(`turn ended: ${message.terminal_reason ?? message.subtype}`) : "turn done";
      return [p.dim(`── ${how}${cost} ──`)];
    }
    default:
      return [];
  }
}

export function renderSent(message: { type: string; message?: { content: string | ContentBlock[] }; response?: { response?: { behavior?: string } } }, p: Palette): string[] {
  if (message.type === "user" && message.message) return [`${p.bold("you")} ${shown(blockText(message.message.content))}`];
  if (message.type === "control_response") return [p.dim(`  (${message.response?.response?.behavior ?? "answered"} from csm)`)];
  return [];
}

interface LinkData {
  event?: string;
  transport?: string;
  code?: number | null;
  signal?: string | null;
  reason?: string | null;
  message?: string;
  pid?: number;
  status?: string;
  permissionMode?: string;
}

/** A link event (the link, claude's process, a native claude's state) as log lines; some show nothing. */
export function renderLinkEvent(data: LinkData, p: Palette): string[] {
  switch (data.event) {
    case "linked":
      return [p.dim(`linked (${data.transport ?? "?"})`)];
    case "unlinked":
      return [p.dim("link closed")];
    case "claude_started":
      return [p.dim(data.pid ? `claude started (pid ${data.pid})` : "claude started")];
    case "claude_exited":
      return [p.warn(data.signal ? `claude was killed by ${data.signal}` : `claude exited with status ${data.code}`)];
    case "gone":
      return [p.warn(`gone: ${data.reason ?? ""}`)];
    case "hub_error":
      return [p.warn(`hub error: ${data.message ?? ""}`)];
    case "native_ready":
      return [p.dim("claude is ready")];
    case "native_state":
      // Working and idle show in the messages around them; an interrupt or a silent hook needs saying.
      return data.reason ? [p.dim(`${data.status ?? "?"}: ${data.reason}`)] : [];
    case "permission_mode":
      return [p.dim(`permission mode ${data.permissionMode ?? "?"}`)];
    case "cost":
    case "session_end":
      return [];
    case "undeliverable":
      return [p.warn(`not delivered: ${data.reason ?? ""}`)];
    default:
      return [p.dim(data.event ?? "link event")];
  }
}

interface DecisionData {
  event?: string;
  action?: string;
  toolName?: string;
  by?: string;
  ruleIndex?: number | null;
  reason?: string;
  error?: string;
}

/** A decision on a tool request (a rule's, a person's in csm, or one made on claude's own screen) as log lines. */
export function renderDecision(data: DecisionData, p: Palette): string[] {
  if (data.event === "decision") {
    const verb = data.action === "allow" ? "allowed" : "denied";
    const by = data.by === "rule" ? `by rule #${(data.ruleIndex ?? 0) + 1}` : data.by === "screen" ? "on claude's own screen" : "by a person";
    return [p.dim(`${verb} ${data.toolName ?? "tool"} ${by}${data.reason && data.by !== "screen" ? ` (${data.reason})` : ""}`)];
  }
  if (data.event === "rules_unusable") return [p.warn(`approval rules unusable: ${data.error ?? ""}`)];
  return [p.dim(data.event ?? "decision")];
}
