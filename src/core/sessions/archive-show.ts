import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { claudeConfigDir, readRange } from "../../adapters/claude-files.ts";
import { readPaneLogTail } from "../../host/pane-log.ts";
import { notFoundError } from "../../shared/errors.ts";
import { ArchiveStore, type ArchiveEntry } from "../../store/archive.ts";
import { emptyFacts, type ErrorFact, type ToolUseFact } from "../conversations/conversation-facts.ts";
import { toolInputSummary } from "../conversations/record-text.ts";
import { foldTranscript } from "../conversations/transcript-fold.ts";
import type { Context } from "../context.ts";

// Reading the archive: every ended session, one entry by name or id, and its postmortem:
// the end, the last tool use and error, the transcript's last records and the pane's last
// output. Foreign text is returned as found; printers make it printable.

export interface ArchiveListItem extends ArchiveEntry {
  /** The session is still in csm's list (it ended and nobody killed it yet), or was removed. */
  session: "listed" | "removed" | "gone";
}

export function listArchive(ctx: Context): ArchiveListItem[] {
  const records = new Map(ctx.sessions().all(ctx.host.hostName).map((record) => [record.name, record.createdAt]));
  return new ArchiveStore(ctx.database()).all(ctx.host.hostName).map((entry) => ({
    ...entry,
    session: entry.removedAt ? "removed" : records.get(entry.name) === entry.startedAt ? "listed" : "gone",
  }));
}

/**
 * The entry `ref` names: `#ID` is an id; otherwise the newest life of the session of that
 * name, and when no session had that name, an id.
 */
export function findArchived(ctx: Context, ref: string): ArchiveEntry {
  const store = new ArchiveStore(ctx.database());
  const host = ctx.host.hostName;
  const byId = (text: string) => (/^\d{1,15}$/.test(text) ? store.get(host, Number(text)) : null);
  const found = ref.startsWith("#") ? byId(ref.slice(1)) : (store.byName(host, ref)[0] ?? byId(ref));
  if (!found) throw notFoundError("ended session or archive id", ref, "see `csm archive`");
  return found;
}

export interface TranscriptTail {
  path: string;
  /** The last prompts, replies, tool calls and results, oldest first. */
  records: { at: string | null; who: "user" | "claude" | "tool" | "result"; text: string }[];
  lastToolUse: ToolUseFact | null;
  lastError: ErrorFact | null;
}

export interface Postmortem {
  entry: ArchiveEntry;
  transcript: TranscriptTail | null;
  /** The pane's last output, terminal sequences taken out. */
  paneTail: string | null;
}

const TRANSCRIPT_TAIL_BYTES = 256 * 1024;
const TRANSCRIPT_RECORDS = 12;
const RECORD_CHARS = 400;

export function postmortem(ctx: Context, entry: ArchiveEntry, paneTailBytes = 4096): Postmortem {
  const path = entry.claudeSessionId ? findTranscript(claudeConfigDir(ctx.env), entry.claudeSessionId, entry.worktree) : null;
  return { entry, transcript: path ? transcriptTail(path, entry.claudeSessionId!) : null, paneTail: paneLogText(entry, paneTailBytes) };
}

export function paneLogText(entry: ArchiveEntry, tailBytes: number): string | null {
  const bytes = entry.paneLog ? readPaneLogTail(entry.paneLog, tailBytes) : null;
  return bytes ? screenText(bytes.toString("utf8")) : null;
}

/**
 * What a pane showed, as lines of text: escape sequences (colours, cursor moves, titles)
 * taken out, a lone CR (a redrawn line) turned into a line break. Controls left over are
 * for printable() to show.
 */
export function screenText(raw: string): string {
  return raw
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, "")
    .replace(/\x1b[P^_][^\x1b]*(?:\x1b\\)?/g, "")
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\x1b[()][0-9A-Za-z]/g, "")
    .replace(/\x1b[@-Z\\-_=>78]/g, "")
    .replace(/\r+\n/g, "\n")
    .replace(/\r/g, "\n");
}

/** `<config>/projects/<slug>/<id>.jsonl`: the slug of the worktree first, else any project dir that has it. */
export function findTranscript(configDir: string, id: string, cwd: string | null): string | null {
  if (!/^[0-9A-Za-z-]{1,100}$/.test(id)) return null;
  const projects = join(configDir, "projects");
  if (cwd) {
    const guess = join(projects, cwd.replace(/[^A-Za-z0-9]/g, "-"), `${id}.jsonl`);
    if (existsSync(guess)) return guess;
  }
  let dirs: string[];
  try {
    dirs = readdirSync(projects);
  } catch {
    return null;
  }
  for (const dir of dirs) {
    const path = join(projects, dir, `${id}.jsonl`);
    if (existsSync(path)) return path;
  }
  return null;
}

interface TranscriptRecord {
  type?: string;
  timestamp?: string;
  message?: { content?: unknown };
}

export function transcriptTail(path: string, id: string): TranscriptTail | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  const from = Math.max(0, size - TRANSCRIPT_TAIL_BYTES);
  let bytes = readRange(path, from, size);
  if (!bytes) return null;
  // Started mid-line: that line is not whole.
  if (from > 0) bytes = bytes.subarray(bytes.indexOf(10) + 1);
  const facts = emptyFacts(id);
  foldTranscript(facts, bytes, true);
  const records: TranscriptTail["records"] = [];
  for (const line of bytes.toString("utf8").split("\n")) {
    if (!line.startsWith('{"') || !(line.includes('"type":"user"') || line.includes('"type":"assistant"'))) continue;
    let record: TranscriptRecord;
    try {
      record = JSON.parse(line) as TranscriptRecord;
    } catch {
      continue;
    }
    records.push(...recordTexts(record));
  }
  return { path, records: records.slice(-TRANSCRIPT_RECORDS), lastToolUse: facts.lastToolUse ?? null, lastError: facts.lastError ?? null };
}

const clip = (text: string) => (text.length > RECORD_CHARS ? `${text.slice(0, RECORD_CHARS)}…` : text);

function recordTexts(record: TranscriptRecord): TranscriptTail["records"] {
  if (record.type !== "user" && record.type !== "assistant") return [];
  const at = record.timestamp ?? null;
  const content = record.message?.content;
  if (typeof content === "string") return content.trim() ? [{ at, who: record.type === "user" ? "user" : "claude", text: clip(content) }] : [];
  if (!Array.isArray(content)) return [];
  const out: TranscriptTail["records"] = [];
  for (const block of content as { type?: string; text?: unknown; name?: unknown; input?: unknown; content?: unknown }[]) {
    if (block.type === "text" && typeof block.text === "string" && block.text.trim()) out.push({ at, who: record.type === "user" ? "user" : "claude", text: clip(block.text) });
    else if (block.type === "tool_use" && typeof block.name === "string") out.push({ at, who: "tool", text: clip(`${block.name} ${toolInputSummary(block.name, block.input)}`.trim()) });
    else if (block.type === "tool_result") {
      const text = typeof block.content === "string" ? block.content : Array.isArray(block.content) ? (block.content as { text?: unknown }[]).map((part) => (typeof part.text === "string" ? part.text : "")).join("") : "";
      out.push({ at, who: "result", text: clip(text) });
    }
  }
  return out;
}
