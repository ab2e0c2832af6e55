import type { PendingRequest } from "./live-state.ts";
import type { LiveSessionView } from "./live-view.ts";

// What a hub publishes on /api/events and on each session's stream: declared once, for the
// hub, the CLI, the dashboard and the web page alike. Only the hub folds claude's messages
// into a session's state; after every change it publishes the session's whole view, and a
// client shows views: it never folds raw messages itself.

interface Addressed {
  session: string;
  /** The host of a remote hub's session, set by the local hub that passes it on. */
  host?: string;
  at: string;
}

/** A stored event of the session's log (`seq` is its place in that log; null when passed on from a remote hub). */
export interface LogEvent extends Addressed {
  kind: "claude" | "sent" | "link" | "decision";
  seq: number | null;
  data: unknown;
}

/** A piece of text claude is streaming (a partial message): shown live, never stored. */
export interface StreamEvent extends Addressed {
  kind: "stream";
  seq: null;
  data: unknown;
}

/** A session's whole view after a change, from the hub's fold; never stored. */
export interface ViewEvent extends Addressed {
  kind: "view";
  seq: null;
  data: SessionUpdate;
}

/** A session csm no longer has (killed): clients drop it. */
export interface RemovedEvent extends Addressed {
  kind: "removed";
  seq: null;
  data: null;
}

export interface SessionUpdate {
  view: LiveSessionView;
  pending: PendingRequest[];
  /** The text streaming now, in full; `stream` events that follow add to it. */
  streamingText: string;
}

export type HubEvent = LogEvent | StreamEvent | ViewEvent | RemovedEvent;

/** The text a `stream` event adds to what the session is streaming. */
export function streamedText(event: StreamEvent): string {
  const inner = (event.data as { event?: { type?: string; delta?: { type?: string; text?: string } } } | null)?.event;
  return inner?.type === "content_block_delta" && inner.delta?.type === "text_delta" ? (inner.delta.text ?? "") : "";
}
