import type { LiveSessionView } from "../core/live/live-view.ts";
import { oneLine, truncateToWidth } from "../shared/printable.ts";
import { formatAge, formatTable } from "./table.ts";

// The table `csm list` prints for people (scripts use --json). formatTable makes every
// cell printable; the last message is cut by cells, so a CJK one is as wide as any.

// `!unguarded`: claude runs tools without asking, so csm's approvals see little or nothing.
function statusCell(s: LiveSessionView): string {
  if (s.status === "dead") return s.statusReason ? `dead (${s.statusReason})` : "dead";
  // A last known status (no hub running) reads as a guess: `idle?`.
  const known = s.stale ? `${s.status}?` : s.status;
  const status = s.pendingApprovals > 0 ? `${known} (${s.pendingApprovals} to approve)` : known;
  return s.guarded === false ? `${status} !unguarded` : status;
}

const money = (usd: number) => (usd === 0 ? "-" : `$${usd.toFixed(2)}`);

export function renderSessions(sessions: LiveSessionView[], now: Date): string {
  if (sessions.length === 0) return "no sessions (create one with `csm create NAME --repo PATH`)";
  // A TITLE column only when some session's conversation has one (`csm rename`, `/rename`).
  const titled = sessions.some((s) => s.title);
  const rows = sessions.map((s) => [
    s.favourite ? `★ ${s.name}` : s.name,
    ...(titled ? [truncateToWidth(oneLine(s.title ?? ""), 30)] : []),
    s.host,
    statusCell(s),
    s.model ?? "-",
    String(s.turns),
    money(s.costUsd),
    formatAge(s.createdAt, now),
    s.branch ?? "-",
    truncateToWidth(oneLine(s.lastMessage ?? ""), 60),
  ]);
  const table = formatTable(["NAME", ...(titled ? ["TITLE"] : []), "HOST", "STATUS", "MODEL", "TURNS", "COST", "AGE", "BRANCH", "LAST MESSAGE"], rows);
  const unguarded = sessions.some((s) => s.status !== "dead" && s.guarded === false);
  return unguarded ? `${table}\n!unguarded: claude runs tools there without asking csm (see csm doctor)` : table;
}
