import type { HubEvent as PublishedEvent } from "../../core/live/hub-event.ts";
import { renderClaudeMessage, renderDecision, renderLinkEvent, renderSent } from "../../link/render.ts";
import type { ClaudeToCsm } from "../../link/protocol.ts";
import { paint, truncate } from "./markup.ts";
import { markupPalette, toMarkupLines } from "./render-palette.ts";
import { KIND_COLOUR } from "./theme.ts";

// The live log of a session's last events: a local time, the kind (coloured), and what
// happened, rendered as the bridge pane renders it (src/link/render.ts). Each event gets
// a few lines at most; the log is a summary, the pane (`a`) has everything.

const LINES_PER_EVENT = 3;
const KIND_WIDTH = 8;

const two = (n: number) => String(n).padStart(2, "0");

/** "14:03:27" in the local time zone. */
export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

// The bridge pane starts claude's text with "claude"; here the kind column says so already.
const SPEAKER = `${markupPalette.accent("claude")} `;
const withoutSpeaker = (text: string) => (text.startsWith(SPEAKER) ? text.slice(SPEAKER.length) : text);

/** What an event says, as markup lines (possibly none: some messages show nothing). */
export function eventText(event: PublishedEvent): string[] {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (event.kind === "claude") return toMarkupLines(renderClaudeMessage(data as ClaudeToCsm, markupPalette).map(withoutSpeaker));
  if (event.kind === "sent") return toMarkupLines(renderSent(data as Parameters<typeof renderSent>[0], markupPalette));
  if (event.kind === "link") return toMarkupLines(renderLinkEvent(data, markupPalette));
  if (event.kind === "decision") return toMarkupLines(renderDecision(data, markupPalette));
  return [];
}

/** The events as log lines, oldest first, each line fitted to the width. */
export function eventLogLines(events: PublishedEvent[], width: number): string[] {
  const indent = " ".repeat(9 + KIND_WIDTH + 1);
  return events.flatMap((event) => {
    const text = eventText(event).filter((line) => line !== "");
    if (text.length === 0) return [];
    const shown = text.length > LINES_PER_EVENT ? [...text.slice(0, LINES_PER_EVENT - 1), paint("gray", `… ${text.length - LINES_PER_EVENT + 1} more lines`)] : text;
    const kind = paint(KIND_COLOUR[event.kind] ?? "gray", event.kind.padEnd(KIND_WIDTH));
    return shown.map((line, i) => truncate(i === 0 ? `${paint("gray", timeOfDay(event.at))} ${kind} ${line}` : indent + line, width));
  });
}
