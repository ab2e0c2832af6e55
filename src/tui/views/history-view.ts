import type { ConversationInfo, ConversationRecord, SearchHit } from "../../core/conversations/conversation-record.ts";
import { formatAge } from "../../shared/format-age.ts";
import { oneLine, textWidth } from "../../shared/printable.ts";
import { conversationKey, isSearchHit, selectedConversation, type HistoryState } from "../history-view-state.ts";
import type { TuiModel } from "../model.ts";
import { COLUMN_GAP, layoutColumns, type ColumnSpec } from "./columns.ts";
import { esc, fit, padStart, paint, styled, truncate, withoutStyles } from "./markup.ts";
import { CURSOR_MARK } from "./theme.ts";
import { wrapText } from "./wrap.ts";

// The History view: the search box, then every conversation newest first (or the hits of
// the search, best first, each with its snippet, the hit marked), or one conversation's
// info. Titles, snippets, prompts and paths are claude's or the person's text, not csm's:
// all of it goes through `esc` (printable, braces escaped); the only tags are csm's own.

type ColumnId = "id" | "host" | "project" | "title" | "turns" | "active" | "state";

const TITLES: Record<ColumnId, string> = { id: "ID", host: "HOST", project: "PROJECT", title: "TITLE", turns: "TURNS", active: "ACTIVE", state: "STATE" };
const RIGHT_ALIGNED = new Set<ColumnId>(["turns", "active"]);
const LEAD = 2;
const ID_CHARS = 8;
/** The start of a snippet kept before its first hit, so the hit shows on a narrow screen. */
const BEFORE_HIT = 24;
const PROMPT_LINES = 6;
const LABEL = 13;

/** The project as a person names it: the last part of the cwd, else claude's slug. */
export const projectOf = (record: Pick<ConversationRecord, "cwd" | "project">) => (record.cwd ? record.cwd.replace(/\/+$/, "").split("/").pop() || record.cwd : record.project);

/** `live:other-ns`: held by a claude in another PID namespace, whose pid means nothing here. */
export const stateText = (record: Pick<ConversationRecord, "state" | "session" | "pid" | "pidElsewhere">) =>
  record.state === "csm" && record.session
    ? `csm:${record.session}`
    : record.state === "live" && record.pidElsewhere
      ? "live:other-ns"
      : record.state === "live" && record.pid
        ? `live:${record.pid}`
        : record.state;

function columnSpecs(rows: ConversationRecord[]): ColumnSpec<ColumnId>[] {
  const longest = (values: string[], min: number, max: number) => Math.min(max, Math.max(min, ...values.map(textWidth)));
  const manyHosts = new Set(rows.map((row) => row.host)).size > 1;
  return [
    { id: "id", width: ID_CHARS, priority: 0 },
    { id: "host", width: longest(rows.map((row) => row.host), 4, 12), priority: manyHosts ? 2 : 5 },
    { id: "project", width: longest(rows.map((row) => oneLine(projectOf(row))), 7, 20), priority: 3 },
    { id: "title", width: 16, priority: 1, flex: true },
    { id: "turns", width: 5, priority: 6 },
    { id: "active", width: 6, priority: 4 },
    { id: "state", width: longest(rows.map((row) => stateText(row)), 5, 16), priority: 2.5 },
  ];
}

function cell(id: ColumnId, row: ConversationRecord, now: Date): string {
  switch (id) {
    case "id":
      return esc(row.id.slice(0, ID_CHARS));
    case "host":
      return paint("gray", row.host);
    case "project":
      return esc(oneLine(projectOf(row)));
    case "title":
      return row.title ? esc(oneLine(row.title)) : paint("gray", "(no prompt)");
    case "turns":
      return String(row.turns);
    case "active":
      return row.lastActiveAt ? formatAge(row.lastActiveAt, now) : "–";
    case "state":
      return row.state === "transcript" ? paint("gray", stateText(row)) : paint(row.state === "csm" ? "green" : "yellow", stateText(row));
  }
}

/**
 * A snippet as one line of markup: its text escaped, each hit (between \x02 and \x03, the
 * index's marks) bold yellow, and the start cut so the first hit shows within `width`.
 */
export function snippetMarkup(snippet: string, width: number): string {
  const parts = snippet.replace(/\s+/g, " ").trim().split(/([\x02\x03])/);
  let hit = false;
  let seenHit = false;
  let out = "";
  let before = "";
  for (const part of parts) {
    if (part === "\x02" || part === "\x03") {
      hit = part === "\x02";
      continue;
    }
    if (part === "") continue;
    if (hit) {
      if (!seenHit && textWidth(before) > Math.min(BEFORE_HIT, Math.floor(width / 3))) before = `…${Array.from(before).slice(-Math.min(BEFORE_HIT, Math.floor(width / 3))).join("")}`;
      if (!seenHit) out += esc(before);
      seenHit = true;
      out += styled("bold", paint("yellow", part));
    } else if (!seenHit) before += part;
    else out += esc(part);
  }
  return seenHit ? out : esc(before);
}

function searchLine(model: TuiModel, history: HistoryState, width: number): string {
  if (model.mode === "history-search") return truncate(`${styled("bold", "search:")} ${esc(history.query)}${styled("inverse", " ")}`, width);
  if (history.query) return truncate(`${paint("gray", "search:")} ${esc(history.query)}  ${paint("gray", "(/ to change, Esc in the box clears it)")}`, width);
  return truncate(paint("gray", "/ to search the text of every conversation"), width);
}

function summaryLine(history: HistoryState, width: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const busy = history.loading ? " · searching…" : "";
  if (history.shown === null) return history.error ? "" : paint("gray", "Reading conversations from every host…");
  const what = history.shown === "" ? `${plural(history.rows.length, "conversation")}, newest first` : `${plural(history.rows.length, "hit")} for "${oneLine(history.shown)}", best first`;
  const down = history.hostErrors.map((host) => `${host.host}: ${oneLine(host.error)}`).join("; ");
  return truncate(paint("gray", `${what}${busy}`) + (down ? `  ${paint("red", `✗ ${down}`)}` : ""), width);
}

function emptyText(history: HistoryState): string {
  if (history.shown === null) return "";
  if (history.shown !== "") return paint("gray", `No conversation mentions "${oneLine(history.shown)}".`);
  return paint("gray", "No conversations yet (claude's transcripts are read from $CLAUDE_CONFIG_DIR or ~/.claude).");
}

function rowsView(history: HistoryState, now: Date, width: number, height: number): string[] {
  const rows = history.rows;
  if (rows.length === 0) return history.shown === null ? [] : [truncate(emptyText(history), width)];
  const widths = layoutColumns(columnSpecs(rows), width, LEAD);
  const line = (cells: (id: ColumnId) => string) => [...widths].map(([id, w]) => (RIGHT_ALIGNED.has(id) ? padStart(cells(id), w) : fit(cells(id), w))).join(" ".repeat(COLUMN_GAP));
  const title = truncate(paint("gray", " ".repeat(LEAD) + line((id) => TITLES[id])), width);
  const perRow = rows.some(isSearchHit) ? 2 : 1;
  const room = Math.max(1, Math.floor((height - 1) / perRow));
  const selected = Math.max(0, rows.findIndex((row) => conversationKey(row) === history.selected));
  const start = Math.min(Math.max(0, selected - Math.floor(room / 2)), Math.max(0, rows.length - room));
  const out = rows.slice(start, start + room).flatMap((row) => {
    const isSelected = conversationKey(row) === history.selected;
    const text = fit(`${isSelected ? CURSOR_MARK : " "} ${line((id) => cell(id, row, now))}`, width);
    // One solid bar: blessed ends {inverse} at the first inner tag that closes.
    const main = isSelected ? styled("inverse", withoutStyles(text)) : text;
    return isSearchHit(row) ? [main, truncate(`${" ".repeat(LEAD + ID_CHARS + COLUMN_GAP)}${snippetMarkup(row.snippet, width - LEAD - ID_CHARS - COLUMN_GAP)}`, width)] : [main];
  });
  return [title, ...out];
}

const label = (text: string) => paint("gray", text.padEnd(LABEL));
const plain = (value: string | null | undefined) => (value ? esc(oneLine(value)) : paint("gray", "–"));

/** One conversation in full: where and how it ran, and how it ended. */
export function infoLines(info: ConversationInfo, now: Date, width: number): string[] {
  const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").replace(/\.\d+Z$/, "Z")} (${formatAge(iso, now)} ago)` : null);
  const tool = info.lastToolUse;
  const toolText = tool ? `${esc(oneLine(tool.name))} ${esc(oneLine(tool.input))} ${tool.answered ? paint("gray", "(answered)") : paint("yellow", "(not answered)")}` : paint("gray", "–");
  const counts = [`${info.turns} turns`, `${info.replies} replies`, `${info.outputTokens} output tokens`, `${info.compactions} compactions`, `${info.subagents} sub-agents`].join(" · ");
  const lines = [
    `${styled("bold", info.title ? esc(oneLine(info.title)) : "(no prompt)")}  ${paint("gray", stateText(info))}`,
    `${label("id")}${esc(info.id)}`,
    `${label("host")}${esc(info.host)}`,
    `${label("cwd")}${plain(info.cwd)}`,
    `${label("branch")}${plain(info.gitBranch)}`,
    `${label("claude")}${plain(info.version)}`,
    `${label("models")}${info.models.length > 0 ? esc(oneLine(info.models.join(", "))) : paint("gray", "–")}`,
    `${label("started")}${plain(when(info.startedAt))}`,
    `${label("last active")}${plain(when(info.lastActiveAt))}`,
    `${label("counts")}${esc(counts)}`,
    `${label("last tool")}${toolText}`,
    `${label("last error")}${info.lastError ? paint("red", oneLine(info.lastError.text)) : paint("gray", "–")}`,
    `${label("ended")}${plain(info.ending)}`,
    `${label("transcript")}${plain(info.path)}`,
  ];
  const prompt = info.firstPrompt ? wrapText(info.firstPrompt, width - 2) : [];
  const shown = prompt.slice(0, PROMPT_LINES).map((row) => `  ${esc(row)}`);
  if (prompt.length > PROMPT_LINES) shown.push(paint("gray", `  … ${prompt.length - PROMPT_LINES} more lines`));
  return [...lines, "", paint("gray", "first prompt"), ...(shown.length > 0 ? shown : [paint("gray", "  –")])].map((line) => truncate(line, width));
}

function conversationView(history: HistoryState, now: Date, width: number): string[] {
  const row = selectedConversation(history);
  if (history.infoError) return [truncate(paint("red", `✗ ${oneLine(history.infoError)}`), width)];
  if (!history.info) return [truncate(paint("gray", `Reading conversation ${row ? row.id.slice(0, ID_CHARS) : ""}…`), width)];
  const lines = infoLines(history.info, now, width);
  return history.resuming ? [...lines, "", paint("cyan", "resuming…")] : lines;
}

export function historyView(model: TuiModel, now: Date, width: number, height: number): string[] {
  const history = model.history;
  if (!history) return [];
  if (model.mode === "conversation") return conversationView(history, now, width);
  const head = [searchLine(model, history, width), summaryLine(history, width)];
  if (history.error) head.push(truncate(paint("red", `✗ ${oneLine(history.error)}`), width));
  if (history.resuming) head.push(paint("cyan", "resuming…"));
  return [...head, ...rowsView(history, now, width, height - head.length)];
}
