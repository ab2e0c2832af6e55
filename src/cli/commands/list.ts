import type { Context } from "../../core/context.ts";
import type { Transport } from "../../core/live/live-state.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { loadSettings } from "../../config/load.ts";
import { findHubAt } from "../../hub/client.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// `csm list` is run often and by scripts, so its common case is lean: with no SSH hosts
// and a hub running, it loads the settings and the hub client and nothing else (the
// table only without --json). tmux, git and the store load only when the hub does not
// answer, and ssh2 only for SSH hosts.

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

/** Without a hub: tmux and the store alone (status `unknown`). */
async function fromTmux(ctx: Context): Promise<LiveSessionView[]> {
  const { listSessions } = await import("../../core/sessions/list.ts");
  const { withoutLive } = await import("../../core/live/live-view.ts");
  const store = ctx.sessions();
  return (await listSessions(ctx)).map((view) => {
    const record = store.get(view.host, view.name);
    return withoutLive(view, (record?.transport as Transport | null) ?? null, record?.claudeSessionId ?? null);
  });
}
