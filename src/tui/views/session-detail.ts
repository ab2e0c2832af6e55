import { formatAge } from "../../shared/format-age.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { primaryInputText } from "../../link/render.ts";
import { pendingOf, selectedSession, sessionKey, type TuiModel } from "../model.ts";
import { eventLogLines } from "./event-log.ts";
import { esc, paint, styled, truncate } from "./markup.ts";
import { formatCost, shortModel } from "./session-list.ts";
import { oneLine, textWidth } from "../../shared/printable.ts";
import { statusBadge, UNGUARDED_MARK } from "./theme.ts";
import { wrapText } from "./wrap.ts";

// A session's view (Enter): who it is and where it lives, its pending requests, the text
// claude is writing now, and the live log filling the rest of the height (newest at the
// bottom, like a terminal).

const LABEL = 10;
const STREAM_LINES = 4;

function rule(title: string, width: number): string {
  const head = `── ${title} `;
  return truncate(paint("gray", head + "─".repeat(Math.max(0, width - textWidth(head)))), width);
}

function infoLines(session: LiveSessionView, now: Date, width: number): string[] {
  const link = session.linked ? `linked (${session.transport ?? "?"})` : "not linked";
  const facts = [shortModel(session.model), `${session.turns} turns`, formatCost(session.costUsd), `${formatAge(session.createdAt, now)} old`, `host ${session.host}`, link];
  const lines = [`${styled("bold", esc(session.name))}  ${statusBadge(session.status)}  ${paint("gray", facts.join(" · "))}`];
  if (session.statusReason) lines.push(paint("gray", oneLine(session.statusReason)));
  if (session.guarded === false && session.status !== "dead") {
    lines.push(paint("red", `${UNGUARDED_MARK} unguarded: claude runs tools without asking csm (permission mode ${esc(session.permissionMode ?? "?")})`));
  }
  const base = session.baseRef ? ` (from ${session.baseRef}${session.baseCommit ? ` ${session.baseCommit.slice(0, 7)}` : ""})` : "";
  const paths: [string, string | null][] = [
    ["tmux", session.tmuxSession],
    ["worktree", session.worktree],
    ["branch", session.branch ? session.branch + base : null],
    ["repo", session.repo],
    ["claude id", session.claudeSessionId],
  ];
  for (const [label, value] of paths) lines.push(`${paint("gray", label.padEnd(LABEL))}${value ? esc(value) : paint("gray", "–")}`);
  return lines.map((line) => truncate(line, width));
}

function pendingLines(model: TuiModel, key: string, now: Date, width: number): string[] {
  const pending = pendingOf(model, key);
  if (pending.length === 0) return [];
  const rows = pending.map((p) => truncate(`  ${styled("yellow", esc(p.toolName))} ${esc(oneLine(primaryInputText(p.toolName, p.input)))} ${paint("gray", `· ${formatAge(p.receivedAt, now)}`)}`, width));
  return [rule(`pending (${pending.length})`, width), ...rows];
}

function streamingLines(model: TuiModel, key: string, width: number): string[] {
  const text = model.streaming[key] ?? model.detail?.streamingText ?? "";
  if (text.trim() === "") return [];
  const rows = wrapText(text.trimEnd(), width - 2).slice(-STREAM_LINES);
  return [rule("claude is writing", width), ...rows.map((row) => `  ${paint("cyan", row)}`)];
}

/** The view of the selected session in at most `height` lines. */
export function sessionDetailView(model: TuiModel, now: Date, width: number, height = Infinity): string[] {
  const session = selectedSession(model);
  if (!session) return [paint("gray", "No session selected.")];
  const key = sessionKey(session);
  const top = [...infoLines(session, now, width), ...pendingLines(model, key, now, width), ...streamingLines(model, key, width)];
  const room = height - top.length - 1;
  if (room <= 0) return top.slice(0, height);
  const events = model.events[key] ?? [];
  const log = events.length === 0 ? [paint("gray", "no events yet")] : eventLogLines(events, width);
  return [...top, rule("log", width), ...log.slice(-room)];
}
