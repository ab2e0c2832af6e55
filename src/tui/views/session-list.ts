import type { LiveSessionView } from "../../core/live/live-view.ts";
import { formatAge } from "../../shared/format-age.ts";
import type { DiffSummary } from "../diff-tab.ts";
import { sessionKey, visibleSessions, type TuiModel } from "../model.ts";
import { COLUMN_GAP, layoutColumns, type ColumnSpec } from "./columns.ts";
import { esc, fit, padStart, paint, styled, truncate, withoutStyles } from "./markup.ts";
import { oneLine, textWidth } from "../../shared/printable.ts";
import { CURSOR_MARK, FAVOURITE_MARK, PENDING_MARK, statusBadge, UNGUARDED_MARK } from "./theme.ts";

// The session list: a title row and one row per visible session, in the model's order.
// Two cells lead every row: the cursor (so the selection shows without colour too) and ★.
// Columns go, as the width shrinks: host, model, turns, cost, age, then the message.

type ColumnId = "name" | "host" | "status" | "pending" | "changes" | "model" | "turns" | "cost" | "age" | "message";

const TITLES: Record<ColumnId, string> = {
  name: "NAME",
  host: "HOST",
  status: "STATUS",
  pending: PENDING_MARK,
  changes: "CHANGES",
  model: "MODEL",
  turns: "TURNS",
  cost: "COST",
  age: "AGE",
  message: "LAST MESSAGE",
};
const RIGHT_ALIGNED = new Set<ColumnId>(["turns", "cost", "age"]);

/** "3f ↑2↓1": files changed against the base, commits ahead and behind it. */
export function formatChanges(changes: DiffSummary | undefined): string {
  // Nothing changed yet says nothing: the column is for sessions with work to look at.
  if (!changes || (changes.files === 0 && changes.ahead === 0 && changes.behind === 0)) return "";
  const behind = changes.behind > 0 ? `↓${changes.behind}` : "";
  return `${changes.files}f ↑${changes.ahead}${behind}`;
}
const LEAD = 2;

/** "claude-opus-4-5-20251101" → "opus-4-5": the family and version are what tell models apart. */
export function shortModel(model: string | null): string {
  if (!model) return "–";
  return model.replace(/^claude-/, "").replace(/-\d{8}$/, "");
}

export const formatCost = (usd: number) => `$${usd.toFixed(2)}`;

const unguarded = (s: LiveSessionView) => s.guarded === false && s.status !== "dead";

function columnSpecs(sessions: LiveSessionView[], width: number, changes: TuiModel["changes"]): ColumnSpec<ColumnId>[] {
  const longest = (values: string[], min: number, max: number) => Math.min(max, Math.max(min, ...values.map(textWidth)));
  const manyHosts = new Set(sessions.map((s) => s.host)).size > 1;
  const changed = sessions.map((s) => formatChanges(changes[sessionKey(s)]));
  return [
    { id: "name", width: longest(sessions.map((s) => s.name), 8, width >= 100 ? 28 : 18), priority: 0 },
    { id: "host", width: longest(sessions.map((s) => s.host), 4, 12), priority: manyHosts ? 2.5 : 7 },
    // One more column for the mark of a session whose claude runs tools without asking csm.
    { id: "status", width: sessions.some(unguarded) ? 11 : 10, priority: 0 },
    { id: "pending", width: 3, priority: 1 },
    // Shown once some listed session has changed something against its base.
    { id: "changes", width: longest(changed, 7, 12), priority: changed.some((text) => text !== "") ? 4.5 : Infinity },
    { id: "model", width: longest(sessions.map((s) => shortModel(s.model)), 5, 12), priority: 6 },
    { id: "turns", width: 5, priority: 5 },
    { id: "cost", width: 7, priority: 4 },
    { id: "age", width: 4, priority: 3 },
    { id: "message", width: 12, priority: 2, flex: true },
  ];
}

function cell(id: ColumnId, session: LiveSessionView, now: Date, changes: TuiModel["changes"]): string {
  switch (id) {
    case "changes":
      return paint("gray", formatChanges(changes[sessionKey(session)]));
    case "name":
      return esc(session.name);
    case "host":
      return paint("gray", session.host);
    case "status":
      return unguarded(session) ? statusBadge(session.status) + styled("bold", paint("red", UNGUARDED_MARK)) : statusBadge(session.status);
    case "pending":
      return session.pendingApprovals > 0 ? styled("bold", paint("yellow", `${PENDING_MARK}${session.pendingApprovals}`)) : "";
    case "model":
      return esc(shortModel(session.model));
    case "turns":
      return String(session.turns);
    case "cost":
      return formatCost(session.costUsd);
    case "age":
      return formatAge(session.createdAt, now);
    case "message":
      // A dead session's last message matters less than why it died.
      if ((session.status === "dead" || session.status === "unknown") && session.statusReason) return paint("gray", oneLine(session.statusReason));
      return session.lastMessage ? esc(oneLine(session.lastMessage)) : paint("gray", "–");
  }
}

function row(widths: Map<ColumnId, number>, cells: (id: ColumnId) => string): string {
  return [...widths]
    .map(([id, w]) => (RIGHT_ALIGNED.has(id) ? padStart(cells(id), w) : fit(cells(id), w)))
    .join(" ".repeat(COLUMN_GAP));
}

/** The list in at most `height` lines (title row included), scrolled to keep the selection in view. */
export function sessionListView(model: TuiModel, now: Date, width: number, height = Infinity): string[] {
  const sessions = visibleSessions(model);
  if (sessions.length === 0) return [truncate(emptyText(model), width)];
  const widths = layoutColumns(columnSpecs(sessions, width, model.changes), width, LEAD);
  const title = paint("gray", " ".repeat(LEAD) + row(widths, (id) => TITLES[id]));
  const rows = Math.max(1, height - 1);
  const selected = Math.max(0, sessions.findIndex((s) => sessionKey(s) === model.selected));
  const start = Math.min(Math.max(0, selected - Math.floor(rows / 2)), Math.max(0, sessions.length - rows));
  const lines = sessions.slice(start, start + rows).map((session) => {
    const isSelected = sessionKey(session) === model.selected;
    const lead = (isSelected ? CURSOR_MARK : " ") + (session.favourite ? paint("yellow", FAVOURITE_MARK) : " ");
    const line = fit(lead + row(widths, (id) => cell(id, session, now, model.changes)), width);
    // One solid bar: blessed ends {inverse} at the first inner tag that closes.
    return isSelected ? styled("inverse", withoutStyles(line)) : line;
  });
  return [truncate(title, width), ...lines];
}

function emptyText(model: TuiModel): string {
  if (!model.loaded) return paint("gray", "Loading sessions from the hub…");
  if (model.sessions.length > 0) return styled("gray", `No session matches "${esc(model.filter)}". Esc clears the filter.`);
  return paint("gray", "No sessions yet. Press c to create one.");
}
