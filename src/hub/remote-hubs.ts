import type { Context } from "../core/context.ts";
import { HostRegistry } from "../core/hosts/host-registry.ts";
import { remoteSessions } from "../core/hosts/list-everywhere.ts";
import { RemoteCsmMissing, runRemoteCsm, withTimeout, REMOTE_TIMEOUT_MS } from "../core/hosts/remote-csm.ts";
import type { LiveSessionView } from "../core/live/live-view.ts";
import type { SshHost } from "../host/ssh.ts";
import type { PortForward } from "../host/ssh-forward.ts";
import { HubClient } from "../hub-client/client.ts";
import { followHub, type HubFeed } from "../hub-client/event-feed.ts";
import type { PublishedEvent } from "./live-sessions.ts";

// The local hub's view of every remote host's hub: each remote csm keeps its own hub,
// store and rules; the local hub reaches it through a port forward on the host's one SSH
// connection, follows its events and passes requests about its sessions on. So remote
// sessions' live state and approvals work from the local dashboard and API. A host that
// is down is retried, and reappears when it comes back.

const RETRY_MS = 5000;

export interface RemoteHubState {
  host: string;
  reachable: boolean;
  error: string | null;
}

interface Remote {
  host: string;
  client: HubClient | null;
  forward: PortForward | null;
  feed: HubFeed | null;
  error: string | null;
  /** The last list it gave: which sessions live there. */
  sessions: LiveSessionView[];
  /** No csm there: listed from its tmux alone, with a note. */
  withoutCsm: boolean;
}

export class RemoteHubs {
  private readonly registry: HostRegistry;
  private readonly remotes = new Map<string, Remote>();
  private stopped = false;

  constructor(
    ctx: Context,
    private readonly publish: (event: PublishedEvent & { host: string }) => void,
  ) {
    this.registry = new HostRegistry(ctx);
  }

  start(): void {
    for (const host of this.registry.remoteNames()) {
      this.remotes.set(host, { host, client: null, forward: null, feed: null, error: "connecting", sessions: [], withoutCsm: false });
      void this.keepConnected(host);
    }
  }

  private async keepConnected(host: string): Promise<void> {
    while (!this.stopped) {
      const remote = this.remotes.get(host)!;
      if (!remote.client) {
        try {
          await this.connect(remote);
          remote.error = null;
        } catch (error) {
          remote.error = (error as Error).message.split("\n")[0]!;
          remote.withoutCsm = error instanceof RemoteCsmMissing;
        }
      }
      await Bun.sleep(RETRY_MS);
    }
  }

  private async connect(remote: Remote): Promise<void> {
    const host = (await this.registry.get(remote.host))!;
    const started = await runRemoteCsm(host, ["server", "start", "--json"], 15_000);
    if (started.code !== 0) throw new Error(`csm server start on ${remote.host}: ${started.stderr.trim()}`);
    const info = JSON.parse(started.stdout) as { pid: number; port: number; version: string; startedAt: string };
    const token = (await runRemoteCsm(host, ["token"])).stdout.trim();
    const forward = await (host.runner as SshHost).forwardPort(info.port);
    const client = new HubClient({ ...info, port: forward.port }, token);
    remote.forward = forward;
    remote.client = client;
    remote.sessions = (await client.request<LiveSessionView[]>("GET", "/api/sessions").catch(() => [])).map((session) => ({ ...session, host: remote.host }));
    remote.feed = followHub(
      client,
      (event) => {
        this.follow(remote, event);
        this.publish({ ...event, host: remote.host });
      },
      (state) => {
        // A remote hub that keeps failing may have moved (restarted on another port): start over.
        if (state.state === "reconnecting" && state.attempt > 3) this.drop(remote, state.error ?? "the event stream failed");
      },
      () => {},
    );
  }

  /**
   * The remote hub's views keep this hub's list of its sessions current, so which host has
   * a session is known without asking over the network (see Hub.locate). Each (re)connect
   * starts from a full list.
   */
  private follow(remote: Remote, event: PublishedEvent): void {
    if (event.kind === "view") {
      const view = { ...event.data.view, host: remote.host };
      remote.sessions = [...remote.sessions.filter((s) => s.name !== view.name), view];
    } else if (event.kind === "removed") {
      remote.sessions = remote.sessions.filter((s) => s.name !== event.session);
    }
  }

  private drop(remote: Remote, why: string): void {
    remote.feed?.stop();
    remote.forward?.close();
    remote.feed = null;
    remote.forward = null;
    remote.client = null;
    remote.error = why;
  }

  states(): RemoteHubState[] {
    return [...this.remotes.values()].map((r) => ({ host: r.host, reachable: r.client !== null, error: r.error }));
  }

  /** Every remote session, each host asked in parallel; one that does not answer in time is left out. */
  async sessions(): Promise<LiveSessionView[]> {
    const lists = await Promise.all(
      [...this.remotes.values()].map(async (remote) => {
        if (remote.withoutCsm) return this.tmuxOnly(remote);
        if (!remote.client) return [];
        try {
          const sessions = await withTimeout(remote.client.request<LiveSessionView[]>("GET", "/api/sessions"), REMOTE_TIMEOUT_MS, remote.host);
          remote.sessions = sessions.map((session) => ({ ...session, host: remote.host }));
          return remote.sessions;
        } catch (error) {
          remote.error = (error as Error).message;
          return [];
        }
      }),
    );
    return lists.flat();
  }

  private async tmuxOnly(remote: Remote): Promise<LiveSessionView[]> {
    try {
      remote.sessions = (await remoteSessions((await this.registry.get(remote.host))!)).sessions;
      return remote.sessions;
    } catch {
      return [];
    }
  }

  async pending(): Promise<unknown[]> {
    const lists = await Promise.all(
      [...this.remotes.values()].map(async (remote) => {
        if (!remote.client) return [];
        const pending = await withTimeout(remote.client.request<Record<string, unknown>[]>("GET", "/api/pending"), REMOTE_TIMEOUT_MS, remote.host).catch(() => []);
        return pending.map((entry) => ({ ...entry, host: remote.host }));
      }),
    );
    return lists.flat();
  }

  isHost(host: string): boolean {
    return this.remotes.has(host);
  }

  /** The hub of a remote host, while it is reachable, and why not otherwise. */
  hubOf(host: string): { client: HubClient | null; error: string | null } {
    const remote = this.remotes.get(host);
    return { client: remote?.client ?? null, error: remote?.error ?? "not a configured host" };
  }

  /**
   * The remote hosts with a session of this name, from their last lists; with `refresh`,
   * asked again when none has it.
   */
  async hostsWith(session: string, refresh: boolean): Promise<string[]> {
    const find = () => [...this.remotes.values()].filter((r) => r.sessions.some((s) => s.name === session)).map((r) => r.host);
    const found = find();
    if (found.length > 0 || !refresh) return found;
    await this.sessions();
    return find();
  }

  stop(): void {
    this.stopped = true;
    for (const remote of this.remotes.values()) this.drop(remote, "stopped");
    this.registry.close();
  }
}
