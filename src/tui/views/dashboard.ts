import type { TuiModel } from "../model.ts";
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

export function dashboardView(model: TuiModel, now: Date, width: number, height: number): string[] {
  const top = [...headerView(model, width), ...approvalBannerView(model, now, width)];
  const bottom = [...noticeLines(model, width), ...footerView(model, width, height >= TWO_LINE_FOOTER_FROM ? 2 : 1)];
  const room = Math.max(0, height - top.length - bottom.length);
  const middle = body(model, now, width, room).slice(0, room);
  const padded = [...middle, ...Array<string>(room - middle.length).fill("")];
  // A banner taller than the screen (a very long command) keeps its start and the footer.
  const lines = [...top, ...padded, ...bottom];
  return lines.length <= height ? lines : [...lines.slice(0, Math.max(0, height - bottom.length)), ...bottom].slice(0, height);
}
