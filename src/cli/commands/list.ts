import { createContext } from "../../core/context.ts";
import { listSessions } from "../../core/sessions/list.ts";
import type { SessionView } from "../../core/sessions/session-view.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("list", argv, { json: { type: "boolean" } }, { min: 0, max: 0 });
  const ctx = await createContext();
  try {
    const sessions = await listSessions(ctx);
    if (flags.json) printJson(io, sessions);
    else io.out(renderSessions(sessions, new Date()));
    return 0;
  } finally {
    ctx.close();
  }
}

export function renderSessions(sessions: SessionView[], now: Date): string {
  if (sessions.length === 0) return "no sessions (create one with `csm create NAME --repo PATH`)";
  const rows = sessions.map((s) => [
    s.favourite ? `★ ${s.name}` : s.name,
    s.host,
    s.status === "dead" && s.statusReason ? `dead (${s.statusReason})` : s.status,
    s.branch ?? "-",
    formatAge(s.createdAt, now),
    s.worktree ?? "-",
  ]);
  return formatTable(["NAME", "HOST", "STATUS", "BRANCH", "AGE", "WORKTREE"], rows);
}
