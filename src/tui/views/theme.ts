import type { SessionStatus } from "../../core/sessions/session-view.ts";
import { paint, type Colour } from "./markup.ts";

// Glyphs and colours in one place. Every status has its own glyph AND its word, so the
// list reads the same without colour (NO_COLOR) as with it.

export const STATUS_LOOK: Record<SessionStatus, { glyph: string; colour: Colour }> = {
  waiting: { glyph: "◆", colour: "yellow" },
  working: { glyph: "●", colour: "green" },
  starting: { glyph: "◌", colour: "cyan" },
  idle: { glyph: "○", colour: "blue" },
  dead: { glyph: "✗", colour: "red" },
  unknown: { glyph: "?", colour: "gray" },
};

/** The order statuses are counted in the header. */
export const STATUS_ORDER: SessionStatus[] = ["waiting", "working", "starting", "idle", "dead", "unknown"];

/** "◆ waiting", coloured: 10 cells at most ("◌ starting"). */
export function statusBadge(status: SessionStatus): string {
  const look = STATUS_LOOK[status];
  return paint(look.colour, `${look.glyph} ${status}`);
}

/** Colours of the event log, by PublishedEvent kind. */
export const KIND_COLOUR: Record<string, Colour> = {
  claude: "cyan",
  sent: "green",
  link: "magenta",
  decision: "yellow",
  stream: "gray",
};

export const FAVOURITE_MARK = "★";
/** Shown before a count of pending approvals: "!2". */
export const PENDING_MARK = "!";
export const CURSOR_MARK = "›";
/** After the status of a session whose claude runs tools without asking csm. */
export const UNGUARDED_MARK = "⊘";
