import { type ConversationFacts, type SkipReason } from "./conversation-facts.ts";
import { classifyUserText, isErrorReply, toolInputSummary, userBlocksText } from "./record-text.ts";

// Folds transcript lines into a conversation's facts and the text a person searches for.
// Pure: bytes in, facts and text out. Most of a transcript's bytes are blobs claude keeps
// for itself (request shapes, prompt snapshots, attachments); those lines are recognised by
// their first bytes and never parsed, which is what keeps indexing a gigabyte fast.

/** A line longer than this is skipped unread (a pasted file); counted, never fatal. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** Record types whose `type` is their first key and that hold nothing a person searches for. */
const IGNORED_TYPES = new Set([
  "api-request-shape",
  "api-request-blob",
  "api-request",
  "queue-operation",
  "atis-latch",
  "tools-used",
  "last-prompt",
  "cost-state",
  "file-history-snapshot",
  "agent-name",
  "progress",
  "pr-link",
  "mode",
  "tag",
  "worktree-state",
  "content-replacement",
  "attribution-snapshot",
]);

const FOLDED_TYPES = new Set(["user", "assistant", "system", "custom-title", "ai-title", "summary"]);

const NEWLINE = 10;
const PREFIX_BYTES = 320;
const TAIL_BYTES = 800;
const TYPE_FIRST = '{"type":"';
const TIMESTAMP_KEY = '"timestamp":"';
const ISO_LENGTH = 24;

export interface FoldOutput {
  /** Bytes consumed: up to and including the last complete line. */
  consumed: number;
  /** Searchable text found in the consumed lines, one entry per prompt, reply or tool call. */
  texts: string[];
}

/**
 * Folds every complete line of `bytes` into `facts` (mutated). A last line without its
 * newline is left for the next pass (a running claude is writing it) unless `final`.
 */
export function foldTranscript(facts: ConversationFacts, bytes: Uint8Array, final = false): FoldOutput {
  const texts: string[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) {
      if (!final) break;
      end = buffer.length;
    }
    foldLine(facts, buffer, start, end, texts);
    start = end + 1;
  }
  return { consumed: Math.min(start, buffer.length), texts };
}

function foldLine(facts: ConversationFacts, buffer: Buffer, start: number, end: number, texts: string[]): void {
  const length = end - start;
  if (length === 0 || (length === 1 && buffer[start] === 13)) return;
  if (length > MAX_LINE_BYTES) return skip(facts, "oversized-line", buffer, start, end);
  const prefix = buffer.toString("latin1", start, Math.min(end, start + PREFIX_BYTES));
  if (prefix.startsWith(TYPE_FIRST)) {
    const type = prefix.slice(TYPE_FIRST.length, prefix.indexOf('"', TYPE_FIRST.length));
    if (IGNORED_TYPES.has(type)) return noteTimestamp(facts, buffer, start, end);
    if (!FOLDED_TYPES.has(type)) return skip(facts, "unknown-record", buffer, start, end);
  } else if (/^\{"parentUuid":[^,]*,"isSidechain":(true|false),"attachment":\{/.test(prefix)) {
    return noteTimestamp(facts, buffer, start, end);
  }
  let record: unknown;
  try {
    record = JSON.parse(buffer.toString("utf8", start, end));
  } catch {
    return skip(facts, "invalid-json", buffer, start, end);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return skip(facts, "invalid-json", buffer, start, end);
  foldRecord(facts, record as Record<string, unknown>, texts);
}

function skip(facts: ConversationFacts, reason: SkipReason, buffer: Buffer, start: number, end: number): void {
  facts.skipped[reason] = (facts.skipped[reason] ?? 0) + 1;
  if (reason !== "invalid-json") noteTimestamp(facts, buffer, start, end);
}

/** A skipped line still moves "last active": its timestamp is found by a byte search at either end. */
function noteTimestamp(facts: ConversationFacts, buffer: Buffer, start: number, end: number): void {
  const tailStart = Math.max(start, end - TAIL_BYTES);
  let at = buffer.lastIndexOf(TIMESTAMP_KEY, end - 1, "latin1");
  if (at < tailStart) at = buffer.indexOf(TIMESTAMP_KEY, start, "latin1");
  if (at < start || at >= end || at - start > PREFIX_BYTES && at < tailStart) return;
  const from = at + TIMESTAMP_KEY.length;
  if (from + ISO_LENGTH > end) return;
  noteTime(facts, buffer.toString("latin1", from, from + ISO_LENGTH));
}

// The whole value: a timestamp is shown and compared as written, so nothing may follow it.
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)?$/;

function noteTime(facts: ConversationFacts, at: unknown): void {
  if (typeof at !== "string" || !ISO_TIME.test(at)) return;
  if (facts.startedAt === undefined || at < facts.startedAt) facts.startedAt = at;
  if (facts.lastActiveAt === undefined || at > facts.lastActiveAt) facts.lastActiveAt = at;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

function foldRecord(facts: ConversationFacts, record: Record<string, unknown>, texts: string[]): void {
  noteTime(facts, record.timestamp);
  facts.cwd = str(record.cwd) ?? facts.cwd;
  facts.gitBranch = str(record.gitBranch) ?? facts.gitBranch;
  facts.version = str(record.version) ?? facts.version;
  switch (record.type) {
    case "user":
      return foldUser(facts, record, texts);
    case "assistant":
      return foldAssistant(facts, record, texts);
    case "system":
      if (record.subtype === "compact_boundary") facts.compactions += 1;
      else if (record.level === "error" && str(record.content)) facts.lastError = { at: str(record.timestamp), text: String(record.content) };
      return;
    case "custom-title":
      facts.customTitle = str(record.customTitle) ?? facts.customTitle;
      return;
    case "ai-title":
      facts.aiTitle = str(record.aiTitle) ?? facts.aiTitle;
      return;
    case "summary":
      // Older claude versions titled a conversation with a summary record.
      facts.aiTitle ??= str(record.summary);
      return;
    default:
      facts.skipped["unknown-record"] = (facts.skipped["unknown-record"] ?? 0) + 1;
  }
}

function foldUser(facts: ConversationFacts, record: Record<string, unknown>, texts: string[]): void {
  const message = record.message as { content?: unknown } | undefined;
  const content = message?.content;
  if (Array.isArray(content)) noteToolResults(facts, content, str(record.timestamp));
  if (record.isMeta === true || record.isCompactSummary === true || record.isSidechain === true) return;
  const text = typeof content === "string" ? content : Array.isArray(content) ? userBlocksText(content) : "";
  const kind = classifyUserText(text);
  if (kind === "none") return;
  if (kind === "local-command") {
    facts.localCommands += 1;
    return;
  }
  facts.turns += 1;
  facts.firstPrompt ??= text;
  texts.push(text);
}

function noteToolResults(facts: ConversationFacts, blocks: unknown[], at: string | undefined): void {
  for (const block of blocks) {
    if (typeof block !== "object" || block === null) continue;
    const result = block as { type?: unknown; tool_use_id?: unknown; is_error?: unknown; content?: unknown };
    if (result.type !== "tool_result") continue;
    if (facts.lastToolUse && facts.lastToolUse.id === result.tool_use_id) facts.lastToolUse.answered = true;
    if (result.is_error === true) {
      const text = typeof result.content === "string" ? result.content : Array.isArray(result.content) ? userBlocksText(result.content) : "";
      facts.lastError = { at, text: text.slice(0, 2000) };
    }
  }
}

function foldAssistant(facts: ConversationFacts, record: Record<string, unknown>, texts: string[]): void {
  const message = record.message as { id?: unknown; model?: unknown; content?: unknown; usage?: { output_tokens?: unknown } } | undefined;
  if (!message || record.isSidechain === true) return;
  const at = str(record.timestamp);
  const model = str(message.model);
  if (model && model !== "<synthetic>" && !facts.models.includes(model)) facts.models.push(model);
  const id = str(message.id);
  if (id === undefined || id !== facts.lastMessageId) {
    facts.replies += 1;
    const output = message.usage?.output_tokens;
    if (typeof output === "number" && Number.isFinite(output)) facts.outputTokens += output;
  }
  facts.lastMessageId = id;
  if (!Array.isArray(message.content)) return;
  for (const block of message.content) {
    if (typeof block !== "object" || block === null) continue;
    const part = block as { type?: unknown; text?: unknown; id?: unknown; name?: unknown; input?: unknown };
    if (part.type === "text" && typeof part.text === "string") {
      if (isErrorReply(record)) facts.lastError = { at, text: part.text.slice(0, 2000) };
      else texts.push(part.text);
    } else if (part.type === "tool_use" && typeof part.name === "string") {
      const input = toolInputSummary(part.name, part.input);
      facts.lastToolUse = { id: String(part.id ?? ""), name: part.name, input, at, answered: false };
      texts.push(input ? `${part.name} ${input}` : part.name);
    }
  }
}
