import { createContext, type Context } from "../../core/context.ts";
import type { Transport } from "../../core/live/live-state.ts";
import { withoutLive, type LiveSessionView } from "../../core/live/live-view.ts";
import { listSessions } from "../../core/sessions/list.ts";
import { findHub } from "../../hub/client.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("list", argv, { json: { type: "boolean" }, host: { type: "string" } }, { min: 0, max: 0 });
  const ctx = await createContext();
  try {
    const remote = flags.host !== undefined || Object.keys(ctx.settings.config.hosts).length > 0;
    // Only with SSH hosts configured (or --host) does list load anything to reach them.
    const sessions = remote ? await everywhere(ctx, flags.host, io) : await fromHubOrTmux(ctx);
    if (flags.json) printJson(io, sessions);
    else io.out(renderSessions(sessions, new Date()));
    return 0;
  } finally {
    ctx.close();
  }
}

async function everywhere(ctx: Context, only: string | undefined, io: Output): Promise<LiveSessionView[]> {
  const { HostRegistry } = await import("../../core/hosts/host-registry.ts");
  const { listEverywhere } = await import("../../core/hosts/list-everywhere.ts");
  const registry = new HostRegistry(ctx);
  try {
    if (only !== undefined && !registry.names().includes(only)) throw usageError(`unknown host ${JSON.stringify(only)} (configured: ${registry.names().join(", ")})`);
    // The local hub also shows what it knows of remote hosts; each host answers for itself here.
    const localOnly = async () => (await fromHubOrTmux(ctx)).filter((session) => session.host === ctx.host.hostName);
    const result = await listEverywhere(registry, localOnly, only);
    for (const host of result.hosts) {
      if (!host.reachable) io.err(`csm: ${host.name}: unreachable: ${host.note}`);
      else if (host.note) io.err(`csm: ${host.name}: ${host.note}`);
    }
    return result.sessions;
  } finally {
    registry.close();
  }
}

/** The hub's live view when it runs; otherwise tmux and the store alone (status `unknown`). */
async function fromHubOrTmux(ctx: Context): Promise<LiveSessionView[]> {
  const hub = await findHub(ctx);
  if (hub) {
    try {
      return await hub.request<LiveSessionView[]>("GET", "/api/sessions");
    } catch {
      // A hub that does not answer must not hide the sessions: fall through to tmux.
    }
  }
  const store = ctx.sessions();
  return (await listSessions(ctx)).map((view) => {
    const record = store.get(view.host, view.name);
    return withoutLive(view, (record?.transport as Transport | null) ?? null, record?.claudeSessionId ?? null);
  });
}

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
