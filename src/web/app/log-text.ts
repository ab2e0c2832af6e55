import type { HubEvent } from "../../core/live/hub-event.ts";
import type { ClaudeToCsm } from "../../link/protocol.ts";
import { plain, renderClaudeMessage, renderSent } from "../../link/render.ts";

// A session's log as lines of plain text, rendered as the bridge pane and the terminal
// dashboard render it (src/link/render.ts). The page shows them as text nodes, never markup.

export interface LogLine {
  seq: number | null;
  at: string;
  kind: HubEvent["kind"];
  text: string;
}

const two = (n: number) => String(n).padStart(2, "0");

export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function describe(event: HubEvent): string[] {
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (event.kind) {
    case "claude":
      return renderClaudeMessage(data as unknown as ClaudeToCsm, plain).map((line) => line.replace(/^claude /, ""));
    case "sent":
      return renderSent(data as Parameters<typeof renderSent>[0], plain);
    case "link":
      return [String(data.event ?? "link event")];
    case "decision": {
      if (data.event !== "decision") return [String(data.event ?? "decision")];
      const verb = data.action === "allow" ? "allowed" : "denied";
      const by = data.by === "rule" ? "by a rule" : "by a person";
      return [`${verb} ${String(data.toolName ?? "tool")} ${by}${data.reason ? ` (${String(data.reason)})` : ""}`];
    }
    default:
      return [];
  }
}

export function logLines(events: HubEvent[]): LogLine[] {
  return events.flatMap((event) =>
    describe(event)
      .filter((text) => text !== "")
      .map((text) => ({ seq: event.seq, at: event.at, kind: event.kind, text })),
  );
}
