import { formatAge } from "../../shared/format-age.ts";
import { primaryInputText } from "../../link/render.ts";
import { currentRequest, oldestPending, pendingKey, pendingOf, type PendingEntry, type TuiModel } from "../model.ts";
import { approvalKeys } from "../keys/tables.ts";
import { keysLabel } from "../keys/bindings.ts";
import { esc, paint, styled, truncate, visibleWidth } from "./markup.ts";
import { oneLine } from "../../shared/printable.ts";
import { wrapText } from "./wrap.ts";

// The approval bar. In the list it says how many requests wait and which has waited
// longest. In a session's view it shows the request y/n will answer: the tool and its
// primary input in FULL, wrapped over as many lines as it takes (a person must see the
// whole command they allow), then the keys.

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2 requests waiting — oldest: api (Bash git push…) 3m — Space to jump", fitted to the width. */
export function pendingSummaryLine(model: TuiModel, now: Date, width: number): string | null {
  const oldest = oldestPending(model);
  if (!oldest) return null;
  const head = styled("bold", `◆ ${plural(model.pending.length, "request")} waiting`);
  const who = ` — oldest: ${styled("bold", esc(oldest.session))}`;
  const age = ` ${formatAge(oldest.receivedAt, now)}`;
  const tail = " — Space to jump";
  const fixed = visibleWidth(head + who + age + tail);
  // The tool and its input get whatever room is left; below a few cells they are left out.
  const inner = esc(`${oldest.toolName} ${oneLine(primaryInputText(oldest.toolName, oldest.input))}`);
  const room = width - fixed - 3;
  const what = room >= 6 ? ` (${truncate(inner, room)})` : "";
  return truncate(styled("yellow", head + who + what + age + tail), width);
}

function requestLines(request: PendingEntry, index: number, count: number, now: Date, width: number): string[] {
  // wrapText makes it printable; its newlines stay lines.
  const input = primaryInputText(request.toolName, request.input);
  const position = count > 1 ? `${index + 1} of ${count}, ` : "";
  const lines = [
    styled("yellow", styled("bold", `◆ ${esc(request.session)} asks to use ${esc(request.toolName)}`) + ` (${position}waiting ${formatAge(request.receivedAt, now)})`),
    ...wrapText(input, width - 2).map((row) => `  ${styled("bold", esc(row))}`),
  ];
  if (request.description) lines.push(...wrapText(oneLine(request.description), width - 2).map((row) => `  ${paint("gray", row)}`));
  // claude's blocked_path is the path its rule checks, inside the worktree or not.
  if (request.blockedPath) lines.push(...wrapText(`path: ${request.blockedPath}`, width - 2).map((row) => `  ${paint("gray", row)}`));
  return lines;
}

function keyHints(model: TuiModel, width: number): string {
  const hints = approvalKeys.bindings.map((binding) => `${styled("bold", esc(keysLabel(binding)))} ${binding.label}`);
  const others = model.pending.length - pendingOf(model, model.selected ?? "").length;
  if (others > 0) hints.push(`${styled("bold", "Space")} next session (${others} more)`);
  return truncate(`  ${hints.join("  ")}`, width);
}

/** The banner's lines: none when nothing waits. */
export function approvalBannerView(model: TuiModel, now: Date, width: number): string[] {
  const request = currentRequest(model);
  if (request) {
    const mine = pendingOf(model, pendingKey(request));
    return [...requestLines(request, 0, mine.length, now, width).map((line) => truncate(line, width)), keyHints(model, width)];
  }
  const summary = pendingSummaryLine(model, now, width);
  return summary ? [summary] : [];
}
