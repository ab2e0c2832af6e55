import type { LiveSessionView } from "../core/live/live-view.ts";
import { formatAge, formatTable } from "./table.ts";

// The table `csm list` prints for people (scripts use --json).

const money = (usd: number) => (usd === 0 ? "-" : `$${usd.toFixed(2)}`);

export function renderSessions(sessions: LiveSessionView[], now: Date): string {
  if (sessions.length === 0) return "no sessions (create one with `csm create NAME --repo PATH`)";
  const rows = sessions.map((s) => [
    s.favourite ? `★ ${s.name}` : s.name,
    s.host,
    s.status === "dead" && s.statusReason ? `dead (${s.statusReason})` : s.pendingApprovals > 0 ? `${s.status} (${s.pendingApprovals} to approve)` : s.status,
    s.model ?? "-",
    String(s.turns),
    money(s.costUsd),
    formatAge(s.createdAt, now),
    s.branch ?? "-",
    (s.lastMessage ?? "").replace(/\s+/g, " ").slice(0, 60),
  ]);
  return formatTable(["NAME", "HOST", "STATUS", "MODEL", "TURNS", "COST", "AGE", "BRANCH", "LAST MESSAGE"], rows);
}
