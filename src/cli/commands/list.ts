import type { Context } from "../../core/context.ts";
import type { Transport } from "../../core/live/live-state.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { loadSettings } from "../../config/load.ts";
import { findHubAt } from "../../hub-client/client.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// `csm list` is run often and by scripts, so its common case is lean: with no SSH hosts
// and a hub running, it loads the settings and the hub client and nothing else (the
// table only without --json). tmux, git and the store load only when the hub does not
// answer, and ssh2 only for SSH hosts. Without a hub each session shows its last known
// state from the store, marked stale (`stale` in --json, `idle?` in the table); it never
// starts a hub (the bridges do, see link/bridge.ts).

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("list", argv, { json: { type: "boolean" }, host: { type: "string" } }, { min: 0, max: 0 });
  const settings = await loadSettings();
  const remote = flags.host !== undefined || Object.keys(settings.config.hosts).length > 0;
  const sessions = (!remote && (await fromHub(settings.paths))) || (await slowPath(remote, flags.host, io));
  if (flags.json) printJson(io, sessions);
  else io.out((await import("../session-table.ts")).renderSessions(sessions, new Date()));
  return 0;
}

async function fromHub(paths: { stateDir: string; configDir: string }): Promise<LiveSessionView[] | null> {
  const hub = await findHubAt(paths);
  // A hub that does not answer must not hide the sessions: the caller falls back to tmux.
  return hub ? hub.request<LiveSessionView[]>("GET", "/api/sessions").catch(() => null) : null;
}

async function slowPath(remote: boolean, only: string | undefined, io: Output): Promise<LiveSessionView[]> {
  const { createContext } = await import("../../core/context.ts");
  const ctx = await createContext();
  try {
    return remote ? await everywhere(ctx, only, io) : await fromTmux(ctx);
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
    const localOnly = async () => ((await fromHub(ctx.settings.paths)) ?? (await fromTmux(ctx))).filter((session) => session.host === ctx.host.hostName);
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

/** Without a hub: tmux, and each session's last known state from the store (stale). */
async function fromTmux(ctx: Context): Promise<LiveSessionView[]> {
  const { listSessions } = await import("../../core/sessions/list.ts");
  const { lastKnown, withoutLive } = await import("../../core/live/live-view.ts");
  const { LiveSessions } = await import("../../hub/live-sessions.ts");
  const { EventStore } = await import("../../store/events.ts");
  let store: ReturnType<Context["sessions"]>;
  try {
    store = ctx.sessions();
  } catch (error) {
    // A store that cannot be read while a hub holds it: tmux alone still shows what runs.
    if ((error as Error).name !== "StoreDamaged") throw error;
    const { mergeSessions } = await import("../../core/sessions/session-view.ts");
    return mergeSessions(ctx.host.hostName, [], await ctx.tmux.listPanes()).map((view) => withoutLive(view, null, null));
  }
  // The hub's own restore: the snapshot taken at the end of a turn, then the events after it.
  const live = new LiveSessions(ctx.host.hostName, store, new EventStore(ctx.database()));
  return (await listSessions(ctx)).map((view) => {
    const record = store.get(view.host, view.name);
    const transport = (record?.transport as Transport | null) ?? null;
    if (!record) return withoutLive(view, transport, null);
    return lastKnown(view, live.state(view.name, record.createdAt), transport, record.claudeSessionId);
  });
}
