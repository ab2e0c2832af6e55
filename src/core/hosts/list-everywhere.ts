import { Tmux } from "../../adapters/tmux.ts";
import { withoutLive, type LiveSessionView } from "../live/live-view.ts";
import { mergeSessions } from "../sessions/session-view.ts";
import type { HostRegistry, KnownHost } from "./host-registry.ts";
import { RemoteCsmMissing, runRemoteCsm, withTimeout, REMOTE_TIMEOUT_MS } from "./remote-csm.ts";

// Every host's sessions, asked in parallel, one remote command per host. A host that does
// not answer within the timeout is reported unreachable; the others still list.

export interface HostReport {
  name: string;
  kind: "local" | "ssh";
  reachable: boolean;
  /** Why a host is unreachable, or a note (no csm there: tmux only). */
  note: string | null;
  sessions: number;
}

export interface Everywhere {
  sessions: LiveSessionView[];
  hosts: HostReport[];
}

export async function remoteSessions(host: KnownHost): Promise<{ sessions: LiveSessionView[]; note: string | null }> {
  try {
    const result = await runRemoteCsm(host, ["list", "--json"]);
    if (result.code !== 0) throw new Error(result.stderr.trim() || `csm list exited ${result.code}`);
    const sessions = JSON.parse(result.stdout) as LiveSessionView[];
    return { sessions: sessions.map((session) => ({ ...session, host: host.name })), note: null };
  } catch (error) {
    if (!(error instanceof RemoteCsmMissing)) throw error;
    // No csm there: what tmux alone can tell, and say so.
    const tmux = new Tmux(host.runner, host.config?.env?.CSM_TMUX_SOCKET);
    const panes = await withTimeout(tmux.listPanes(), REMOTE_TIMEOUT_MS, host.name);
    return { sessions: mergeSessions(host.name, [], panes).map((view) => withoutLive(view, null, null)), note: error.message };
  }
}

export async function listEverywhere(registry: HostRegistry, local: () => Promise<LiveSessionView[]>, only?: string): Promise<Everywhere> {
  const names = only ? [only] : registry.names();
  const reports = await Promise.all(
    names.map(async (name): Promise<{ sessions: LiveSessionView[]; report: HostReport }> => {
      if (name === "local") {
        const sessions = await local();
        return { sessions, report: { name, kind: "local", reachable: true, note: null, sessions: sessions.length } };
      }
      const host = (await registry.get(name))!;
      try {
        const { sessions, note } = await remoteSessions(host);
        return { sessions, report: { name, kind: "ssh", reachable: true, note, sessions: sessions.length } };
      } catch (error) {
        return { sessions: [], report: { name, kind: "ssh", reachable: false, note: (error as Error).message.split("\n")[0]!, sessions: 0 } };
      }
    }),
  );
  return { sessions: reports.flatMap((r) => r.sessions), hosts: reports.map((r) => r.report) };
}
