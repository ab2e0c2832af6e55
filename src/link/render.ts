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
