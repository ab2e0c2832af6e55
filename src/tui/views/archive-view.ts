import type { ArchiveListItem, Postmortem } from "../../core/sessions/archive-show.ts";
import { formatAge } from "../../shared/format-age.ts";
import { oneLine, textWidth } from "../../shared/printable.ts";
import type { LastToolUse } from "../../store/archive.ts";
import { selectedArchived, type ArchiveState } from "../archive-view-state.ts";
import type { TuiModel } from "../model.ts";
import { COLUMN_GAP, layoutColumns, type ColumnSpec } from "./columns.ts";
import { esc, fit, padStart, paint, styled, truncate, withoutStyles } from "./markup.ts";
import { CURSOR_MARK } from "./theme.ts";

// The Archive view: every session that ended on this host, newest end first, or one
// entry's postmortem. Names, reasons, tool inputs, messages, transcript and pane text are
// claude's, tmux's or the person's, not csm's: all of it goes through `esc` (printable,
// braces escaped); the only tags are csm's own.

type ColumnId = "name" | "host" | "ended" | "why" | "turns" | "cost" | "tool" | "message";

const TITLES: Record<ColumnId, string> = { name: "NAME", host: "HOST", ended: "ENDED", why: "WHY", turns: "TURNS", cost: "COST", tool: "LAST TOOL", message: "LAST MESSAGE" };
const RIGHT_ALIGNED = new Set<ColumnId>(["ended", "turns", "cost"]);
const LEAD = 2;
const LABEL = 15;
const PANE_LINES = 20;

export const costText = (usd: number) => `$${usd.toFixed(usd >= 1 ? 2 : 4)}`;
export const toolText = (tool: LastToolUse | null) => (tool ? `${oneLine(tool.name)} ${oneLine(tool.input)}${tool.answered ? "" : " (no result)"}`.trim() : "–");

function columnSpecs(rows: ArchiveListItem[]): ColumnSpec<ColumnId>[] {
  const longest = (values: string[], min: number, max: number) => Math.min(max, Math.max(min, ...values.map(textWidth)));
  return [
    { id: "name", width: longest(rows.map((row) => oneLine(row.name)), 4, 20), priority: 0 },
    { id: "host", width: longest(rows.map((row) => oneLine(row.host)), 4, 12), priority: 5 },
    { id: "ended", width: 5, priority: 1 },
    { id: "why", width: longest(rows.map((row) => oneLine(row.endReason)), 3, 30), priority: 2 },
    { id: "turns", width: 5, priority: 6 },
    { id: "cost", width: longest(rows.map((row) => costText(row.costUsd)), 4, 9), priority: 4 },
    { id: "tool", width: longest(rows.map((row) => toolText(row.lastTool)), 9, 36), priority: 3 },
    { id: "message", width: 12, priority: 3.5, flex: true },
  ];
}

function cell(id: ColumnId, row: ArchiveListItem, now: Date): string {
  switch (id) {
    case "name":
      return esc(oneLine(row.name));
    case "host":
      return paint("gray", oneLine(row.host));
    case "ended":
      return formatAge(row.endedAt, now);
    case "why":
      return row.endKind === "killed" ? esc(oneLine(row.endReason)) : paint("yellow", oneLine(row.endReason));
    case "turns":
      return String(row.turns);
    case "cost":
      return costText(row.costUsd);
    case "tool":
      return row.lastTool ? esc(toolText(row.lastTool)) : paint("gray", "–");
    case "message":
      return row.lastMessage ? esc(oneLine(row.lastMessage)) : paint("gray", "–");
  }
}

function summaryLine(archive: ArchiveState, width: number): string {
  if (archive.rows === null) return archive.error ? "" : paint("gray", "Reading the archive…");
  const n = archive.rows.length;
  return truncate(paint("gray", `${n} ended session${n === 1 ? "" : "s"}, newest first${archive.loading ? " · reading…" : ""}`), width);
}

function rowsView(archive: ArchiveState, now: Date, width: number, height: number): string[] {
  const rows = archive.rows ?? [];
  if (archive.rows === null) return [];
  if (rows.length === 0) return [truncate(paint("gray", "No session has ended here yet (or the archive's retention removed them)."), width)];
  const widths = layoutColumns(columnSpecs(rows), width, LEAD);
  const line = (cells: (id: ColumnId) => string) => [...widths].map(([id, w]) => (RIGHT_ALIGNED.has(id) ? padStart(cells(id), w) : fit(cells(id), w))).join(" ".repeat(COLUMN_GAP));
  const title = truncate(paint("gray", " ".repeat(LEAD) + line((id) => TITLES[id])), width);
  const room = Math.max(1, height - 1);
  const selected = Math.max(0, rows.findIndex((row) => row.id === archive.selected));
  const start = Math.min(Math.max(0, selected - Math.floor(room / 2)), Math.max(0, rows.length - room));
  const out = rows.slice(start, start + room).map((row) => {
    const isSelected = row.id === archive.selected;
    const text = fit(`${isSelected ? CURSOR_MARK : " "} ${line((id) => cell(id, row, now))}`, width);
    // One solid bar: blessed ends {inverse} at the first inner tag that closes.
    return isSelected ? styled("inverse", withoutStyles(text)) : text;
  });
  return [title, ...out];
}

const label = (text: string) => paint("gray", text.padEnd(LABEL));
const plain = (value: string | null | undefined) => (value ? esc(oneLine(value)) : paint("gray", "–"));

/** One entry's postmortem: how it ended, what it was doing, its transcript's and pane's last words. */
export function postmortemLines(report: Postmortem, now: Date, width: number): string[] {
  const { entry, transcript, paneTail } = report;
  const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").replace(/\.\d+Z$/, "Z")} (${formatAge(iso, now)} ago)` : null);
  const lastError = entry.lastError ?? transcript?.lastError?.text ?? null;
  const tool = entry.lastTool ? `${esc(toolText({ ...entry.lastTool, answered: true }))} ${entry.lastTool.answered ? paint("gray", "(answered)") : paint("yellow", "(no result)")}` : paint("gray", "–");
  const lines = [
    `${styled("bold", esc(oneLine(`${entry.name}@${entry.host}`)))}  ${paint("gray", `archive #${entry.id}`)}`,
    `${label("end reason")}${entry.endKind === "killed" ? plain(entry.endReason) : paint("yellow", oneLine(entry.endReason))}`,
    `${label("ended")}${plain(when(entry.endedAt))}`,
    `${label("started")}${plain(when(entry.startedAt))}`,
    `${label("removed")}${plain(when(entry.removedAt))}`,
    `${label("last tool use")}${tool}`,
    `${label("last error")}${lastError ? paint("red", oneLine(lastError)) : paint("gray", "–")}`,
    `${label("last message")}${plain(entry.lastMessage)}`,
    `${label("turns · cost")}${esc(`${entry.turns} · ${costText(entry.costUsd)}`)}`,
    `${label("repo")}${plain(entry.repo)}`,
    `${label("branch")}${plain(entry.branch)}`,
    `${label("worktree")}${plain(entry.worktree)}`,
    `${label("conversation")}${plain(entry.claudeSessionId)}`,
    `${label("transcript")}${plain(transcript?.path)}`,
    `${label("pane log")}${plain(entry.paneLog)}`,
    "",
    styled("bold", "transcript tail"),
  ];
  if (!transcript || transcript.records.length === 0) lines.push(paint("gray", "  (no transcript found)"));
  else for (const record of transcript.records) lines.push(`  ${paint(record.who === "user" ? "cyan" : record.who === "claude" ? "green" : "gray", record.who.padEnd(6))} ${esc(oneLine(record.text))}`);
  lines.push("", styled("bold", "pane log tail"));
  if (paneTail === null) lines.push(paint("gray", "  (no pane log)"));
  else for (const row of paneTail.split("\n").filter((text) => text.trim() !== "").slice(-PANE_LINES)) lines.push(`  ${esc(row)}`);
  return lines.map((line) => truncate(line, width));
}

function entryView(archive: ArchiveState, now: Date, width: number, height: number): string[] {
  const row = selectedArchived(archive);
  if (archive.postmortemError) return [truncate(paint("red", `✗ ${oneLine(archive.postmortemError)}`), width)];
  if (!archive.postmortem) return [truncate(paint("gray", `Reading the postmortem of ${row ? oneLine(row.name) : "the entry"}…`), width)];
  const lines = postmortemLines(archive.postmortem, now, width);
  if (lines.length <= height) return lines;
  const start = Math.min(archive.scroll, lines.length - height);
  return lines.slice(start, start + height);
}

export function archiveView(model: TuiModel, now: Date, width: number, height: number): string[] {
  const archive = model.archive;
  if (!archive) return [];
  if (model.mode === "archive-entry") return entryView(archive, now, width, height);
  const head = [truncate(styled("bold", "Archive") + paint("gray", "  every session that ended on this host"), width), summaryLine(archive, width)];
  if (archive.error) head.push(truncate(paint("red", `✗ ${oneLine(archive.error)}`), width));
  return [...head, ...rowsView(archive, now, width, height - head.length)];
}
