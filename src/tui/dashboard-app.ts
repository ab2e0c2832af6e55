import { callHub, renameConversation } from "../hub-client/api.ts";
import { ArchiveTab, hubArchive } from "./archive-tab.ts";
import type { HubClient } from "../hub-client/client.ts";
import { DiffReader } from "./diff-reader.ts";
import { HistoryTab, hubConversations } from "./history-tab.ts";
import { resumedAs } from "./history-view-state.ts";
import type { HubEvent } from "../core/live/hub-event.ts";
import { CsmError } from "../shared/errors.ts";
import { followHub, type HubFeed } from "../hub-client/event-feed.ts";
import { acceptsText, resolveKey } from "./keys/keys-for.ts";
import type { ActionName } from "./keys/bindings.ts";
import { applyPureAction } from "./keys/pure-actions.ts";
import {
  applyDetail,
  applyEvent,
  applyEventLog,
  applySnapshot,
  back,
  clearNotice,
  currentRequest,
  formDone,
  formFailed,
  openKill,
  initialModel,
  selectedSession,
  sessionKey,
  setConnection,
  setFormBusy,
  setBusy,
  setNotice,
  spin,
  typeText,
  type TuiModel,
} from "./model.ts";
import { FrameScheduler } from "./frame-scheduler.ts";
import { NotifyTracker } from "../core/notify/notify-tracker.ts";
import { notificationFor } from "../core/notify/notification.ts";
import { SETTLE_MS } from "../core/notify/decide.ts";
import type { NotifyKind } from "../core/notify/notification.ts";
import type { LiveSessionView } from "../core/live/live-view.ts";
import { createInputOf, type CreateDefaults } from "./views/create-form.ts";
import { requestShownWhole } from "./views/dashboard.ts";

// The dashboard's controller: keys in (through the key tables), hub calls out, the model
// in between. It holds no claude connection and polls nothing: the hub's event stream
// moves it. Renders are batched to at most one per frame (frame-scheduler.ts). All I/O
// comes in as `deps`.

export interface DashboardDeps {
  hub: HubClient;
  /** Draws the model (the screen computes the lines for its size). */
  draw(model: TuiModel): void;
  /** The screen's size now: an allow needs the whole request on it (see views/dashboard.ts). */
  size?(): { width: number; height: number };
  /** Hands the terminal to tmux for this session's window; resolves when the person is back. */
  attach(session: string, host: string, shell: boolean): Promise<string | null>;
  quit(): void;
  log(error: unknown): void;
  createDefaults: CreateDefaults;
  /** Relative repo paths typed in the form are relative to where csm was started. */
  resolvePath(path: string): string;
  /** A bell and a desktop notification from the terminal (config `notify`); none when not set. */
  alert?(title: string, message: string): void;
  /** The changes `alert` is for (config notify.on). */
  alertOn?: readonly NotifyKind[];
}

const FRAME_MS = 16;
const REFRESHING = "refreshing…";
/** Ages ("3m") move on their own; redraw for them now and then, not per event. */
const CLOCK_MS = 15_000;
const SPINNER_MS = 100;

export class DashboardApp {
  model: TuiModel;
  private readonly frames: FrameScheduler;
  private clock: ReturnType<typeof setInterval> | null = null;
  private feed: HubFeed | null = null;
  private spinner: ReturnType<typeof setInterval> | null = null;
  private readonly diffs: DiffReader;
  /** For each refresh under way, the sessions the event stream touched since it asked. */
  private readonly refreshing = new Set<Set<string>>();
  private readonly history: HistoryTab;
  private readonly archive: ArchiveTab;
  private readonly alerts: NotifyTracker | null;
  private readonly alertTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly deps: DashboardDeps,
    hosts: string[],
  ) {
    this.model = initialModel(hosts);
    this.frames = new FrameScheduler(() => this.deps.draw(this.model), FRAME_MS);
    this.diffs = new DiffReader(deps.hub, () => this.model, (model) => this.update(model));
    this.history = new HistoryTab(hubConversations(deps.hub), () => this.model, (model) => this.update(model));
    this.archive = new ArchiveTab(hubArchive(deps.hub), () => this.model, (model) => this.update(model));
    const alert = deps.alert;
    this.alerts = alert
      ? new NotifyTracker({
          settleMs: SETTLE_MS,
          on: () => deps.alertOn ?? ["waiting"],
          schedule: (delayMs, work) => {
            const timer = setTimeout(() => (this.alertTimers.delete(timer), work()), delayMs);
            this.alertTimers.add(timer);
          },
          now: () => new Date(),
          emit: (kind, facts, at) => {
            const notification = notificationFor(kind, facts, at);
            alert(notification.title, notification.message);
          },
        })
      : null;
  }

  /** Every view the dashboard shows passes here: the tracker calls the person once per change that holds. */
  private watchForAlerts(view: LiveSessionView, pending: { toolName: string; input: Record<string, unknown> }[] = []): void {
    this.alerts?.observe({ ...view, firstRequest: pending[0] ?? null });
  }

  start(): void {
    this.feed = followHub(
      this.deps.hub,
      (event) => this.onEvent(event),
      (state) => this.update(setConnection(this.model, state)),
      () => void this.refresh(),
    );
    this.clock = setInterval(() => this.requestDraw(), CLOCK_MS);
    void this.refresh();
  }

  stop(): void {
    this.feed?.stop();
    if (this.clock) clearInterval(this.clock);
    if (this.spinner) clearInterval(this.spinner);
    for (const timer of this.alertTimers) clearTimeout(timer);
    this.history.stop();
    this.frames.stop();
  }

  private update(model: TuiModel): void {
    this.model = model;
    this.requestDraw();
  }

  requestDraw(): void {
    this.frames.request();
  }

  /** The hub's views move the dashboard: nothing is folded or fetched again here. */
  private onEvent(event: HubEvent): void {
    if (event.kind === "view" || event.kind === "removed") for (const touched of this.refreshing) touched.add(sessionKey({ name: event.session, host: event.host }));
    const before = event.kind === "view" ? this.model.sessions.find((s) => sessionKey(s) === sessionKey(event.data.view))?.turns : undefined;
    this.model = applyEvent(this.model, event);
    if (event.kind === "view") this.watchForAlerts({ ...event.data.view, host: event.host ?? "local" }, event.data.pending);
    if (event.kind === "removed") this.alerts?.forget(event.host ?? "local", event.session);
    this.requestDraw();
    // A turn ended: what the session changed may have too.
    if (event.kind === "view" && before !== undefined && event.data.view.turns !== before) this.diffs.readChanges([sessionKey(event.data.view)]);
  }

  async refresh(): Promise<void> {
    await this.guard(async () => {
      // Sessions the event stream speaks of while the list is on its way keep what it said.
      const touched = new Set<string>();
      this.refreshing.add(touched);
      let sessions: LiveSessionView[];
      try {
        const [listed, pending] = await Promise.all([callHub(this.deps.hub, "GET /api/sessions"), callHub(this.deps.hub, "GET /api/pending")]);
        sessions = listed;
        this.update(applySnapshot(this.model, listed, pending, touched));
      } finally {
        this.refreshing.delete(touched);
      }
      for (const session of sessions.filter((s) => !touched.has(sessionKey(s)))) this.watchForAlerts(session);
      this.diffs.readChanges(sessions.map(sessionKey));
      if (this.model.mode === "detail" && this.model.selected) await this.loadDetail(this.model.selected, false);
    });
  }

  private async loadDetail(key: string, withLog: boolean): Promise<void> {
    const session = this.model.sessions.find((s) => sessionKey(s) === key);
    if (!session) return;
    const where = { host: session.host, name: session.name };
    const detail = await callHub(this.deps.hub, "GET /api/sessions/:host/:name", { session: where });
    const log = withLog ? await callHub(this.deps.hub, "GET /api/sessions/:host/:name/events", { session: where, query: { tail: 200 } }) : null;
    // Applied to the model as it is now: keys pressed while the log was read (d, Esc) stay.
    const model = applyDetail(this.model, detail);
    this.update(log ? applyEventLog(model, key, log) : model);
  }

  onKey(full: string, ch: string | undefined): void {
    let model = clearNotice(this.model);
    const resolved = resolveKey(model, full);
    if (resolved && "disabled" in resolved) return this.update(setNotice(model, "info", resolved.disabled));
    if (!resolved) {
      if (ch && acceptsText(model) && !/[\x00-\x1f\x7f]/.test(ch)) {
        const typed = typeText(model, ch);
        this.update(typed);
        this.history.afterKey(model, typed);
      } else this.update(model);
      return;
    }
    const pure = applyPureAction(model, resolved.action, { createDefaults: this.deps.createDefaults });
    if (pure) {
      const opened = pure.mode === "detail" && (model.mode !== "detail" || pure.selected !== model.selected);
      this.update(pure);
      this.history.afterKey(model, pure);
      this.archive.afterKey(model, pure);
      if (opened && pure.selected) void this.guard(() => this.loadDetail(pure.selected!, true));
      const tab = pure.mode === "diff" ? pure.diff : null;
      if (tab && model.mode !== "diff") void this.guard(() => this.diffs.openTab(tab.key));
      else if (tab && model.diff && tab.selected !== model.diff.selected) void this.guard(() => this.diffs.readFile(tab.key));
      return;
    }
    this.model = model;
    void this.perform(resolved.action);
  }

  /** Actions that need the hub, tmux or the process. */
  private async perform(action: ActionName): Promise<void> {
    const session = selectedSession(this.model);
    switch (action) {
      case "quit":
        return this.deps.quit();
      case "refresh":
        this.update(setNotice(this.model, "info", REFRESHING));
        // The Diff tab counts again too: files a person changed by hand send no event.
        if (this.model.mode === "diff" && this.model.diff) this.diffs.readChanges([this.model.diff.key]);
        await this.refresh();
        // Only its own notice: an error the refresh met stays in sight.
        return this.update(this.model.notice?.text === REFRESHING ? clearNotice(this.model) : this.model);
      case "approve":
      case "deny":
      case "approve-always":
      case "deny-always":
        return this.answer(action);
      case "submit":
        return this.submit();
      case "attach":
      case "attach-shell":
        if (!session) return;
        return this.guard(async () => {
          const note = await this.deps.attach(session.name, session.host, action === "attach-shell");
          this.update(note ? setNotice(this.model, "info", note) : this.model);
          await this.refresh();
        });
      case "favourite":
        if (!session) return;
        return this.guard(async () => {
          await callHub(this.deps.hub, "POST /api/sessions/:host/:name/favourite", { session, body: { favourite: !session.favourite } });
          await this.refresh();
        });
      case "reconnect":
      case "interrupt":
        if (!session) return;
        return this.guard(async () => {
          await callHub(this.deps.hub, action === "reconnect" ? "POST /api/sessions/:host/:name/reconnect" : "POST /api/sessions/:host/:name/interrupt", { session });
          this.update(setNotice(this.model, "info", action === "reconnect" ? `reconnecting ${session.name}…` : `interrupted ${session.name}`));
        });
      case "resume-conversation":
        return this.guard(async () => {
          const view = await this.history.resume();
          if (!view) return;
          await this.refresh();
          this.update(setNotice(resumedAs(this.model, sessionKey(view)), "info", `resumed as session ${view.name}`));
        });
      case "push":
        if (!session) return;
        return this.guard(async () => {
          const pushed = await callHub(this.deps.hub, "POST /api/sessions/:host/:name/push", { session, body: {} });
          this.update(setNotice(this.model, "info", `pushed ${pushed.branch} to ${pushed.remote}`));
        });
      default:
        return;
    }
  }

  private async answer(action: "approve" | "deny" | "approve-always" | "deny-always"): Promise<void> {
    const request = currentRequest(this.model);
    if (!request) return;
    const size = this.deps.size?.();
    if (action.startsWith("approve") && size && !requestShownWhole(this.model, size.width, size.height)) {
      this.update(setNotice(this.model, "error", "not allowed: the request is cut off on this screen; make the window taller to read it all (n still denies)"));
      return;
    }
    await this.guard(async () => {
      await callHub(this.deps.hub, "POST /api/sessions/:host/:name/approve-tool", {
        session: { host: request.host ?? "local", name: request.session },
        body: { requestId: request.requestId, action: action.startsWith("approve") ? "allow" : "deny", always: action.endsWith("always") },
      });
      await this.refresh();
    });
  }

  private async submit(): Promise<void> {
    const model = this.model;
    // The kill and message forms are for the selected session, which a form keeps selected.
    const target = selectedSession(model);
    const run = async (work: () => Promise<string>) => {
      this.update(setFormBusy(this.model, true));
      this.busy(1);
      try {
        const done = await work();
        this.update(formDone(this.model, model.mode, done));
        await this.refresh();
      } catch (error) {
        this.deps.log(error);
        const data = error instanceof CsmError ? (error.data as { uncommitted?: string[]; unpushed?: string[] }) : undefined;
        const unsaved = data?.uncommitted || data?.unpushed ? { uncommitted: data.uncommitted ?? [], unpushed: data.unpushed ?? [] } : undefined;
        this.update(formFailed(this.model, (error as Error).message.split("\n")[0]!, unsaved));
      } finally {
        this.busy(-1);
      }
    };
    if (model.mode === "create" && model.create && !model.create.busy) {
      const input = createInputOf(model.create);
      if ("error" in input) return this.update(formFailed({ ...model, create: { ...model.create, focus: input.field } }, input.error));
      const body = { ...input.input, ...(input.input.repo ? { repo: this.deps.resolvePath(input.input.repo) } : {}) };
      return run(async () => {
        await callHub(this.deps.hub, "POST /api/sessions", { body });
        return `created ${input.input.name}`;
      });
    }
    if (model.mode === "kill" && model.kill && !model.kill.busy) {
      const form = model.kill;
      return run(async () => {
        await callHub(this.deps.hub, "DELETE /api/sessions/:host/:name", { session: { host: target?.host ?? "local", name: form.session }, body: { deleteBranch: form.deleteBranch, force: form.force } });
        return `killed ${form.session}`;
      });
    }
    if (model.mode === "merge" && model.merge && !model.merge.busy && target) {
      const form = model.merge;
      this.update(setFormBusy(model, true));
      this.busy(1);
      try {
        const merged = await callHub(this.deps.hub, "POST /api/sessions/:host/:name/merge", { session: target, body: { mode: form.mode } });
        // The work is on the target now: the natural next step is to let the session go, offered
        // only while its merge form is still what the person looks at (never another session's kill).
        const current = selectedSession(this.model);
        const stillHere = this.model.mode === "merge" && current !== null && sessionKey(current) === sessionKey(target);
        const count = `${merged.commits.length} commit${merged.commits.length === 1 ? "" : "s"}`;
        const said = `merged ${count} of ${merged.branch} into ${merged.target} (${form.mode})`;
        this.update(stillHere ? setNotice(openKill(back(this.model)), "info", `${said}; kill the session now?`) : setNotice(this.model, "info", said));
        await this.refresh();
      } catch (error) {
        this.deps.log(error);
        this.update(formFailed(this.model, (error as Error).message));
      } finally {
        this.busy(-1);
      }
      return;
    }
    if (model.mode === "message" && model.message && !model.message.busy) {
      const form = model.message;
      if (form.text.trim() === "") return this.update(formFailed(model, "type a message first"));
      return run(async () => {
        const reply = await callHub(this.deps.hub, "POST /api/sessions/:host/:name/message", { session: { host: target?.host ?? "local", name: form.session }, body: { text: form.text } });
        return reply.delivered === "link" ? `sent to ${form.session}` : `typed into ${form.session}'s agent window`;
      });
    }
    if (model.mode === "rename" && model.rename && !model.rename.busy) {
      const form = model.rename;
      if (form.text.trim() === "") return this.update(formFailed(model, "type a title first"));
      return run(async () => {
        const reply = await renameConversation(this.deps.hub, form.conversationId, { title: form.text.trim(), host: form.host });
        return `renamed ${form.session}'s conversation to "${reply.title}"`;
      });
    }
  }

  /** A failed hub call is shown and logged, never a crash; a spinner turns while it runs. */
  private async guard(work: () => Promise<void>): Promise<void> {
    this.busy(1);
    try {
      await work();
    } catch (error) {
      this.deps.log(error);
      this.update(setNotice(this.model, "error", (error as Error).message.split("\n")[0]!));
    } finally {
      this.busy(-1);
    }
  }

  /** The spinner's timer runs only while something is under way: idle means idle. */
  private busy(delta: number): void {
    this.update(setBusy(this.model, delta));
    if (this.model.busy.count > 0 && !this.spinner) this.spinner = setInterval(() => this.update(spin(this.model)), SPINNER_MS);
    if (this.model.busy.count === 0 && this.spinner) {
      clearInterval(this.spinner);
      this.spinner = null;
    }
  }
}
