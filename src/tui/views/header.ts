import type { SessionStatus } from "../../core/sessions/session-view.ts";
import type { TuiModel } from "../model.ts";
import { paint, styled, truncate, visibleWidth } from "./markup.ts";
import { STATUS_LOOK, STATUS_ORDER } from "./theme.ts";

// The top line: csm, the hosts, how many sessions are in each status, and whether the hub
// connection is up (on the right). Narrow screens lose the hosts, then the status words.

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function hubState(model: TuiModel): string {
  const hub = model.hub;
  const working = model.busy.count > 0 ? `${paint("cyan", SPINNER[model.busy.frame % SPINNER.length]!)} ` : "";
  if (hub.state === "connected") return `${working}${paint("green", "hub ✓")}`;
  if (hub.state === "connecting") return paint("yellow", "connecting to the hub…");
  return paint("red", `hub lost, reconnecting (try ${hub.attempt})`);
}

export function statusCounts(model: TuiModel): Map<SessionStatus, number> {
  const counts = new Map<SessionStatus, number>();
  for (const session of model.sessions) counts.set(session.status, (counts.get(session.status) ?? 0) + 1);
  return counts;
}

function countsText(model: TuiModel, withWords: boolean): string {
  if (!model.loaded) return paint("gray", "loading…");
  if (model.sessions.length === 0) return paint("gray", "no sessions");
  const counts = statusCounts(model);
  return STATUS_ORDER.filter((status) => counts.has(status))
    .map((status) => paint(STATUS_LOOK[status].colour, withWords ? `${STATUS_LOOK[status].glyph} ${counts.get(status)} ${status}` : `${STATUS_LOOK[status].glyph}${counts.get(status)}`))
    .join("  ");
}

export function hostsOf(model: TuiModel): string[] {
  return [...new Set([...model.hosts, ...model.sessions.map((s) => s.host)])];
}

export function headerView(model: TuiModel, width: number): string[] {
  const title = styled("bold", "csm");
  const hosts = paint("gray", `hosts: ${hostsOf(model).join(", ")}`);
  const right = hubState(model);
  const candidates = [
    [title, hosts, countsText(model, true)],
    [title, countsText(model, true)],
    [title, countsText(model, false)],
  ].map((parts) => parts.join("  "));
  for (const left of candidates) {
    const gap = width - visibleWidth(left) - visibleWidth(right);
    if (gap >= 2) return [left + " ".repeat(gap) + right];
  }
  return [truncate(`${candidates.at(-1)!}  ${right}`, width)];
}
