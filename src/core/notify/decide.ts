import type { SessionStatus } from "../sessions/session-view.ts";
import type { NotifyKind } from "./notification.ts";

// The pure decision: which change of a session's status is worth telling a person about.
// A status seen for the first time is no change (a restarted hub, or a client that just
// connected, must not repeat what was said before it), and staying in a status is none
// either: 50 requests arriving while a session waits are one "waiting".

/** The status a notification of each kind is about; it must still hold when it is sent. */
export const STATUS_OF: Record<NotifyKind, SessionStatus> = { waiting: "waiting", "turn-ended": "idle", dead: "dead" };

export function transitionOf(previous: SessionStatus | undefined, next: SessionStatus): NotifyKind | null {
  if (previous === undefined || previous === next) return null;
  if (next === "waiting") return "waiting";
  if (next === "dead") return "dead";
  if (next === "idle" && (previous === "working" || previous === "waiting")) return "turn-ended";
  return null;
}

/** Whether a change is sent: a kind the config asks for, from a session not muted. */
export function shouldNotify(kind: NotifyKind | null, muted: boolean | undefined, on: readonly NotifyKind[]): kind is NotifyKind {
  return kind !== null && muted !== true && on.includes(kind);
}

/** A change must hold this long to be told: a rule answers a request within it. */
export const SETTLE_MS = 750;
