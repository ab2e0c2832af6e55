import { ConversationKeeper } from "./conversation-keeper.ts";
import type { Context } from "../core/context.ts";
import { tmuxSessionName } from "../core/context.ts";
import type { Transport } from "../core/live/live-state.ts";
import { withLive, type LiveSessionDetail, type LiveSessionView } from "../core/live/live-view.ts";
import { listSessions } from "../core/sessions/list.ts";
import { createSession, type CreateRequest } from "../core/sessions/create.ts";
import { killSession } from "../core/sessions/kill.ts";
import { pruneArchive, recordSessionEnd } from "../core/sessions/archive-end.ts";
import type { SessionView } from "../core/sessions/session-view.ts";
import type { TransportChoice } from "../link/transport.ts";
import { reconnectSession } from "../core/sessions/reconnect.ts";
import { controlRequest, userMessage } from "../link/protocol.ts";
import { notFoundError } from "../shared/errors.ts";
import { checkName } from "../shared/names.ts";
import { EventStore } from "../store/events.ts";
import type { SessionRecord } from "../store/sessions.ts";
import { AgentLinks } from "./agent-link.ts";
import { Approvals, type Decision } from "./approvals.ts";
import { RuleSource } from "../core/rules/rule-source.ts";
import { RemoteHubs } from "./remote-hubs.ts";
import { StreamTickets } from "./stream-tickets.ts";
import { httpError } from "./http.ts";
import { LiveSessions } from "./live-sessions.ts";
import { ViewPublisher } from "./view-publisher.ts";
import { Notifier } from "./notifier.ts";
import { StatusSummary } from "./status-summary.ts";

// The hub's operations, shared by the HTTP routes (and so by the CLI and TUI, which are
// its clients). It owns the live link; tmux and git stay the truth about what exists.

const DEAD_CHECK_DELAY_MS = 300;
/**
 * `create` stores a session before it starts its tmux session (the bridge needs the
 * record to connect), so for a moment a new session has no tmux session yet: that is not
 * death. claude's own exit is reported at once whatever its age.
 */
const CREATION_GRACE_MS = 10_000;
const beingCreated = (record: SessionRecord | null) => record !== null && Date.now() - Date.parse(record.createdAt) < CREATION_GRACE_MS;
/** A bridge whose hub just restarted relinks within its backoff (≤ 2 s): wait for it before typing into the pane. */
const RELINK_WAIT_MS = 2500;
/** After claude's exit, its bridge records the status and ends: milliseconds, unless the machine is very busy. */
const BRIDGE_EXIT_WAIT_MS = 3000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
export const PRUNE_DEAD_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
export const PRUNE_KEEP_EVENTS = 500;

export class Hub {
  readonly events: EventStore;
  readonly live: LiveSessions;
  readonly links: AgentLinks;
  readonly approvals: Approvals;
  readonly tickets = new StreamTickets();
  readonly remotes: RemoteHubs;
  readonly views: ViewPublisher;
  /** Every claude conversation on this host: kept fresh by a worker, read by the API. */
  readonly conversations: ConversationKeeper;
  /** Notifications (config `notify`) and the line `csm status-line` prints, both from the published views. */
  readonly notifier: Notifier;
  readonly statusSummary: StatusSummary;
  /** Set once the server listens: sessions (re)started by the hub connect here. */
  port = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(readonly ctx: Context) {
    // The hub lists tmux for every `csm list` and dashboard refresh: one control client
    // on one of csm's own sessions answers that without a tmux process per request.
    ctx.tmux.keepControlChannel((session) => session.startsWith(tmuxSessionName("")));
    this.events = new EventStore(ctx.database());
    this.live = new LiveSessions(ctx.host.hostName, ctx.sessions(), this.events);
    this.conversations = new ConversationKeeper(ctx);
    this.views = new ViewPublisher(ctx.host.hostName, this.live, () => ctx.sessions(), () => listSessions(ctx), (id) => this.conversations.titleOf(id));
    this.conversations.onTitles = (ids) => {
      for (const record of ctx.sessions().all(ctx.host.hostName)) if (record.claudeSessionId && ids.includes(record.claudeSessionId)) this.views.changed(record.name, "title");
    };
    this.live.onChange = (session, kind) => {
      if (!this.stopped) this.views.changed(session, kind);
    };
    this.links = new AgentLinks(
      this.live,
      (session) => this.events.linkSeq(ctx.host.hostName, session),
      (session) => this.undeliveredPrompt(session),
      (session) => this.later(DEAD_CHECK_DELAY_MS, () => this.checkGone(session)),
      (session, request) => void this.approvals.onToolRequest(session, request).catch((error: Error) => this.reportError(session, error)),
      (session, open) => this.approvals.reconcile(session, open),
    );
    this.approvals = new Approvals(ctx, this.live, this.links, new RuleSource(ctx.settings.paths.configFile));
    this.remotes = new RemoteHubs(ctx, (event) => this.live.publishRemote(event));
    // The conversation claude is in now, for reconnect to resume: a headless claude's init says
    // it; a native claude's supervisor says when `/clear` moved it to another.
    this.live.subscribe((event) => {
      const data = event.data as { type?: string; subtype?: string; session_id?: string; event?: string; claudeSessionId?: string };
      const id =
        event.kind === "claude" && data.type === "system" && data.subtype === "init" ? data.session_id : event.kind === "link" && data.event === "conversation" ? data.claudeSessionId : undefined;
      if (id) ctx.sessions().setClaudeSessionId(ctx.host.hostName, event.session, id);
    });
    // A session found dead (claude's exit from its link, tmux gone from checkGone) is archived
    // at once, with the live state that saw it die.
    this.live.subscribe((event) => {
      if (event.kind !== "link" || this.stopped) return;
      const what = (event.data as { event?: string }).event;
      if (what !== "claude_exited" && what !== "gone") return;
      try {
        recordSessionEnd(ctx, event.session, { state: this.live.state(event.session) });
      } catch (error) {
        process.stderr.write(`csm hub: could not archive the end of ${event.session}: ${(error as Error).message}\n`);
      }
    });
    this.timers.add(setInterval(() => this.prune(), PRUNE_EVERY_MS));
    this.notifier = new Notifier(ctx, this.live);
    this.statusSummary = new StatusSummary(ctx, this.live);
  }

  /** A timer the hub cancels when it stops, so nothing touches the closed store after. */
  private later(delayMs: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void work().catch(() => undefined);
    }, delayMs);
    this.timers.add(timer);
  }

  /** On start: sessions whose tmux session or claude died while no hub watched. */
  async checkAll(): Promise<void> {
    for (const view of await listSessions(this.ctx)) await this.checkGone(view.name);
    this.prune();
  }

  prune(): number {
    pruneArchive(this.ctx, new Date());
    return this.events.pruneDead(new Date(), PRUNE_DEAD_AFTER_MS, PRUNE_KEEP_EVENTS);
  }

  private undeliveredPrompt(session: string): string | undefined {
    const record = this.ctx.sessions().get(this.ctx.host.hostName, session);
    const prompt = record?.options.prompt;
    if (!prompt) return undefined;
    const sent = this.events.after(this.ctx.host.hostName, session, 0, 10_000).some((e) => e.kind === "sent");
    return sent ? undefined : prompt;
  }

  /** After a link drops: if tmux says the session or its claude is gone, say so, with why. */
  private async checkGone(session: string): Promise<void> {
    if (this.links.isLinked(session)) return;
    const record = this.ctx.sessions().get(this.ctx.host.hostName, session);
    if (beingCreated(record)) {
      // Too young to call dead now: look again once it is not, so its end is seen (and archived) without a client asking.
      this.later(CREATION_GRACE_MS - (Date.now() - Date.parse(record!.createdAt)) + DEAD_CHECK_DELAY_MS, () => this.checkGone(session));
      return;
    }
    const state = this.live.state(session);
    if (state.status === "dead") return;
    const [view] = (await listSessions(this.ctx)).filter((v) => v.name === session);
    if (!view || view.status !== "dead") return;
    this.live.record(session, [{ kind: "link", at: new Date().toISOString(), data: { event: "gone", reason: view.statusReason ?? "gone" } }]);
  }

  private viewOf(base: Awaited<ReturnType<typeof listSessions>>[number], known?: SessionRecord | null): LiveSessionView {
    const record = known !== undefined ? known : this.ctx.sessions().get(this.ctx.host.hostName, base.name);
    const live = record ? this.live.state(base.name, record.createdAt) : null;
    const view = withLive(base, live, (record?.transport as Transport | null) ?? null, record?.claudeSessionId ?? null);
    return { ...view, title: this.conversations.titleOf(view.claudeSessionId) };
  }

  async list(): Promise<LiveSessionView[]> {
    const [views, remote] = await Promise.all([listSessions(this.ctx), this.remotes.sessions()]);
    this.views.remember(views);
    this.reconcile(views);
    const records = new Map(this.ctx.sessions().all(this.ctx.host.hostName).map((record) => [record.name, record]));
    return [...views.map((view) => this.viewOf(view, records.get(view.name) ?? null)), ...remote];
  }

  /** Is this session on this machine? Anything else is passed on to the remote hub that has it. */
  isLocal(name: string): boolean {
    return this.ctx.sessions().get(this.ctx.host.hostName, name) !== null;
  }

  isHost(word: string): boolean {
    return word === this.ctx.host.hostName || this.remotes.isHost(word);
  }

  /**
   * The host whose session a request means: the one it names, or else the only host with a
   * session of that name (several: a 409 listing them; none: this machine, which says 404).
   * A name this machine has is not looked for elsewhere over the network, only in the
   * remote lists at hand.
   */
  async locate(name: string, host?: string): Promise<string> {
    const here = this.ctx.host.hostName;
    if (host !== undefined) return host;
    const local = this.isLocal(name);
    const hosts = [...(local ? [here] : []), ...(await this.remotes.hostsWith(name, !local))];
    if (hosts.length > 1) {
      const candidates = hosts.map((h) => `${name}@${h}`);
      throw httpError("AmbiguousSession", `${name} is a session on ${hosts.length} hosts; name one (/api/sessions/HOST/${name}): ${candidates.join(", ")}`, { session: name, candidates });
    }
    return hosts[0] ?? here;
  }

  /** tmux says dead but the live state missed it (a check that ran too early): say so now. */
  private reconcile(views: Awaited<ReturnType<typeof listSessions>>): void {
    for (const view of views) {
      if (view.status !== "dead" || this.links.isLinked(view.name)) continue;
      const record = this.ctx.sessions().get(this.ctx.host.hostName, view.name);
      if (!record || beingCreated(record)) continue;
      if (this.live.state(view.name).status === "dead") continue;
      this.live.record(view.name, [{ kind: "link", at: new Date().toISOString(), data: { event: "gone", reason: view.statusReason ?? "gone" } }]);
    }
  }

  async get(name: string): Promise<LiveSessionDetail> {
    checkName("session", name);
    const base = (await listSessions(this.ctx)).find((view) => view.name === name);
    if (!base) throw notFoundError("session", name, "see `csm list`");
    this.views.remember([base]);
    const update = this.views.update(name, base);
    // Only a tmux session named like csm's that the store does not know has no live part.
    if (!update) return { ...this.viewOf(base, null), pending: [], streamingText: "" };
    return { ...update.view, pending: update.pending, streamingText: update.streamingText };
  }

  private requireRecord(name: string): SessionRecord {
    checkName("session", name);
    const record = this.ctx.sessions().get(this.ctx.host.hostName, name);
    if (!record) throw notFoundError("session", name, "see `csm list`");
    return record;
  }

  /**
   * Whether a session's claude can be asked over the link now: "linked"; "unlinked" while it
   * runs without one (after a short wait: a hub that just started is relinked within moments);
   * "stopped" when it does not run.
   */
  async linkState(name: string): Promise<"linked" | "unlinked" | "stopped"> {
    if (this.links.isLinked(name)) return "linked";
    if (this.live.state(name).status === "dead" || !(await this.ctx.tmux.hasSession(tmuxSessionName(name)))) return "stopped";
    for (const until = Date.now() + RELINK_WAIT_MS; !this.links.isLinked(name) && Date.now() < until; ) await Bun.sleep(50);
    return this.links.isLinked(name) ? "linked" : "unlinked";
  }

  /** Over the link when linked; otherwise typed into the agent pane (the bridge reads it). */
  async sendMessage(name: string, text: string): Promise<"link" | "paste"> {
    const record = this.requireRecord(name);
    const session = tmuxSessionName(name);
    if ((await this.linkState(name)) === "linked") {
      await this.links.send(name, userMessage(text));
      return "link";
    }
    // Typing into the pane reaches claude only through a live bridge, which reads its pane
    // line by line: an sdk-url claude reads its socket, and a dead pane reads nothing.
    const [view] = (await listSessions(this.ctx)).filter((v) => v.name === name);
    if (!view || view.status === "dead") throw httpError("NotRunning", `${name} is not running; \`csm reconnect ${name}\` first`);
    if (record.transport !== "bridge") throw httpError("NotLinked", `${name} is not linked to the hub, and its claude does not read its pane; try again shortly or \`csm reconnect ${name}\``);
    if (text.includes("\n")) throw httpError("NotLinked", `${name} is not linked right now; a message of several lines needs the link (typing it would send one message per line)`);
    await this.ctx.tmux.pasteText(session, "agent", text);
    return "paste";
  }

  async setFavourite(name: string, favourite: boolean): Promise<void> {
    const record = this.requireRecord(name);
    this.ctx.sessions().setFavourite(record.host, name, favourite);
    this.live.record(name, [{ kind: "link", at: new Date().toISOString(), data: { event: "favourite", favourite } }]);
  }

  /** `csm mute`: the notifier skips a muted session; the link event publishes its new view. */
  async setMuted(name: string, muted: boolean): Promise<void> {
    const record = this.requireRecord(name);
    this.ctx.sessions().setMuted(record.host, name, muted);
    this.live.record(name, [{ kind: "link", at: new Date().toISOString(), data: { event: "muted", muted } }]);
  }

  async interrupt(name: string): Promise<void> {
    this.requireRecord(name);
    await this.links.send(name, controlRequest(crypto.randomUUID(), { subtype: "interrupt" }));
  }

  /** Answers one pending tool request by its id; an unknown or answered id is a 409. */
  async answer(name: string, requestId: string, action: "allow" | "deny", options: { message?: string; always?: boolean } = {}): Promise<Decision> {
    this.requireRecord(name);
    return this.approvals.answer(name, requestId, action, options);
  }

  /** Every pending tool request of every session on every host, oldest first. */
  async pending() {
    const local = this.approvals.pending(this.ctx.sessions().all(this.ctx.host.hostName).map((record) => record.name)).map((p) => ({ ...p, host: "local" }));
    const remote = (await this.remotes.pending()) as typeof local;
    return [...local, ...remote].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  private reportError(session: string, error: Error): void {
    this.live.record(session, [{ kind: "link", at: new Date().toISOString(), data: { event: "hub_error", message: error.message } }]);
  }

  /** Only a dead claude is restarted: tmux says whether its pane still runs, whatever the link says. */
  async reconnect(name: string, hubPort = this.port): Promise<void> {
    const record = this.requireRecord(name);
    if (!(await this.agentPaneDone(name))) {
      throw httpError("StillRunning", `${name}'s claude is still running (${this.live.state(name).status}); use \`csm interrupt\`, or \`csm kill\` it first`);
    }
    await reconnectSession(this.ctx, name, hubPort);
    // The bridge reports its own start; an sdk-url claude has no one else to say it.
    if (record.transport === "sdk-url") this.live.record(name, [{ kind: "link", at: new Date().toISOString(), data: { event: "claude_started" } }]);
  }

  /**
   * Whether the agent pane has nothing left running. When the link already reported
   * claude's exit, the bridge in the pane is still recording the exit status and about to
   * end: wait for it, rather than refuse a session the dashboard shows dead, or respawn
   * the pane under a bridge that could record the old status over the new claude.
   */
  private async agentPaneDone(name: string): Promise<boolean> {
    const until = Date.now() + (this.live.state(name).status === "dead" ? BRIDGE_EXIT_WAIT_MS : 0);
    for (;;) {
      const [view] = (await listSessions(this.ctx)).filter((v) => v.name === name);
      if (!view || view.status === "dead") return true;
      if (Date.now() >= until) return false;
      await Bun.sleep(25);
    }
  }

  /** A new session, as `csm create` makes it, with the hub's own environment. */
  async create(request: Pick<CreateRequest, "name" | "repo" | "base" | "branch" | "pr" | "remote" | "prompt" | "mode">): Promise<SessionView> {
    const { session } = await createSession(this.ctx, {
      ...request,
      transport: (this.ctx.settings.config.claudeTransport ?? "auto") as TransportChoice,
      cwd: this.ctx.env.HOME ?? "/",
      prepareHub: async () => this.port,
    });
    return session;
  }

  /** Ends the link (4001 for sdk-url, so claude does not reconnect), then core's kill. */
  async kill(name: string, options: { deleteBranch?: boolean; force?: boolean }): Promise<string[]> {
    this.requireRecord(name);
    const removed = await killSession(this.ctx, { name, ...options });
    // Only once the kill went through (it may refuse): 4001 so an sdk-url claude does not reconnect.
    this.links.endSdkSession(name);
    this.live.forget(name);
    this.views.removed(name);
    return removed;
  }

  /** Resolves once the tmux control client has exited too. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.remotes.stop();
    this.conversations.stop();
    this.notifier.stop();
    await this.statusSummary.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.ctx.tmux.closeControlChannel();
  }
}
