import { oneLine, truncateToWidth } from "../../shared/printable.ts";
import type { SessionStatus } from "../sessions/session-view.ts";

// What a notification says, whoever delivers it (a command's stdin, a webhook, notify-send,
// the dashboard's terminal). Text from a session (its name is checked, but claude's last
// message and a tool's input are not) is made one printable line, so no receiver can be
// handed an escape sequence or a newline that forges a second line.

export const NOTIFY_KINDS = ["waiting", "turn-ended", "dead"] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** What the decision needs of a session's view (a LiveSessionView has all of it). */
export interface SessionFacts {
  name: string;
  host: string;
  status: SessionStatus;
  statusReason: string | null;
  muted?: boolean;
  pendingApprovals: number;
  lastMessage: string | null;
  /** The first pending request, when the view comes with its pending list. */
  firstRequest?: { toolName: string; input: Record<string, unknown> } | null;
}

/** The event as a `command` reads it on stdin and a `json` webhook receives it. */
export interface Notification {
  kind: NotifyKind;
  session: string;
  host: string;
  status: SessionStatus;
  at: string;
  title: string;
  message: string;
  pendingApprovals: number;
}

const MAX_TEXT = 200;
const short = (text: string) => truncateToWidth(oneLine(text), MAX_TEXT);

/** One line about a tool request: its command or path when it has one, else its input. */
export function describeRequest(request: { toolName: string; input: Record<string, unknown> }): string {
  const input = request.input ?? {};
  const main = [input.command, input.file_path, input.path, input.url, input.pattern].find((value) => typeof value === "string") as string | undefined;
  return short(`${request.toolName}: ${main ?? JSON.stringify(input)}`);
}

export function notificationFor(kind: NotifyKind, facts: SessionFacts, at: Date): Notification {
  const where = facts.host === "local" ? facts.name : `${facts.name}@${facts.host}`;
  const base = { kind, session: facts.name, host: facts.host, status: facts.status, at: at.toISOString(), pendingApprovals: facts.pendingApprovals };
  switch (kind) {
    case "waiting": {
      const first = facts.firstRequest ? describeRequest(facts.firstRequest) : "a tool request";
      const more = facts.pendingApprovals > 1 ? ` (and ${facts.pendingApprovals - 1} more)` : "";
      return { ...base, title: short(`csm: ${where} is waiting for you`), message: short(`${first}${more}`) };
    }
    case "turn-ended":
      return { ...base, title: short(`csm: ${where} finished its turn`), message: short(facts.lastMessage ?? facts.statusReason ?? "idle") };
    case "dead":
      return { ...base, title: short(`csm: ${where} ended`), message: short(facts.statusReason ?? "claude is no longer running") };
  }
}
