import { currentRequest, type TuiModel } from "../model.ts";
import { approvalBannerView } from "./approval-banner.ts";
import { createFormView } from "./create-form.ts";
import { diffView } from "./diff-view.ts";
import { footerView } from "./footer.ts";
import { headerView } from "./header.ts";
import { helpView } from "./help.ts";
import { archiveView } from "./archive-view.ts";
import { historyView } from "./history-view.ts";
import { killConfirmView } from "./kill-confirm.ts";
import { esc, paint, styled, truncate } from "./markup.ts";
import { mergeFormView } from "./merge-form.ts";
import { messageFormView } from "./message-form.ts";
import { renameFormView } from "./rename-form.ts";
import { sessionDetailView } from "./session-detail.ts";
import { sessionListView } from "./session-list.ts";
import { oneLine } from "../../shared/printable.ts";

// The whole screen as `height` lines of markup, top to bottom: header, approval banner,
// the body of the current mode, a notice, the footer. The screen sets these as one box's
// content; nothing else decides layout.

/** Screens this short get a one-line footer. */
const TWO_LINE_FOOTER_FROM = 20;

function body(model: TuiModel, now: Date, width: number, height: number): string[] {
  switch (model.mode) {
    case "detail":
      return sessionDetailView(model, now, width, height);
    case "diff":
      return diffView(model, width, height);
    case "help":
      return helpView(model, width, height);
    case "create":
      return model.create ? createFormView(model.create, width) : [];
    case "kill":
      return model.kill ? killConfirmView(model.kill, width) : [];
    case "merge":
      return model.merge ? mergeFormView(model.merge, width) : [];
    case "message":
      return model.message ? messageFormView(model.message, width) : [];
    case "rename":
      return model.rename ? renameFormView(model.rename, width) : [];
    case "archive":
    case "archive-entry":
      return archiveView(model, now, width, height);
    case "history":
    case "history-search":
    case "conversation":
      return historyView(model, now, width, height);
    case "list":
    case "filter": {
      const filter = filterLine(model, width);
      return [...filter, ...sessionListView(model, now, width, height - filter.length)];
    }
  }
}

function filterLine(model: TuiModel, width: number): string[] {
  if (model.mode === "filter") return [truncate(`${styled("bold", "/")} ${esc(model.filter)}${styled("inverse", " ")}`, width)];
  return model.filter ? [truncate(paint("gray", `filter: ${model.filter}  (/ to change, Esc to clear)`), width)] : [];
}

function noticeLines(model: TuiModel, width: number): string[] {
  if (!model.notice) return [];
  const text = oneLine(model.notice.text);
  return [truncate(model.notice.kind === "error" ? paint("red", `✗ ${text}`) : paint("green", text), width)];
}

const bottomOf = (model: TuiModel, width: number, height: number) => [...noticeLines(model, width), ...footerView(model, width, height >= TWO_LINE_FOOTER_FROM ? 2 : 1)];

/**
 * Whether the request in the banner fits whole on a screen this size. Allowing takes a
 * request a person could read to its end: a cut one is said to be cut, and only denied.
 */
export function requestShownWhole(model: TuiModel, width: number, height: number): boolean {
  if (!currentRequest(model)) return true;
  return headerView(model, width).length + approvalBannerView(model, new Date(), width).length + bottomOf(model, width, height).length <= height;
}

/** A request banner taller than the room: its start, a line saying what is cut, and the keys. */
function cutBanner(banner: string[], room: number, width: number): string[] {
  const kept = Math.max(1, room - 2);
  const hidden = banner.length - 1 - kept;
  const said = paint("red", styled("bold", `  … ${hidden} more line${hidden === 1 ? "" : "s"} of this request not shown: make the window taller to read it all (y is off until then; n denies)`));
  return [...banner.slice(0, kept), truncate(said, width), banner.at(-1)!];
}

export function dashboardView(model: TuiModel, now: Date, width: number, height: number): string[] {
  const header = headerView(model, width);
  const bottom = bottomOf(model, width, height);
  let banner = approvalBannerView(model, now, width);
  if (!requestShownWhole(model, width, height)) banner = cutBanner(banner, height - header.length - bottom.length, width);
  const top = [...header, ...banner];
  const room = Math.max(0, height - top.length - bottom.length);
  const middle = body(model, now, width, room).slice(0, room);
  const padded = [...middle, ...Array<string>(room - middle.length).fill("")];
  // A screen too small even for the cut banner keeps its start and the footer.
  const lines = [...top, ...padded, ...bottom];
  return lines.length <= height ? lines : [...lines.slice(0, Math.max(0, height - bottom.length)), ...bottom].slice(0, height);
}
