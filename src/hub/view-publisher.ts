import type { SessionUpdate } from "../core/live/hub-event.ts";
import type { Transport } from "../core/live/live-state.ts";
import { withLive } from "../core/live/live-view.ts";
import type { SessionView } from "../core/sessions/session-view.ts";
import type { SessionStore } from "../store/sessions.ts";
import type { LiveSessions } from "./live-sessions.ts";

// After every change to a session's live state, the hub publishes the session's whole view
// (the same object `GET /api/sessions/:name` answers), so clients show the hub's fold and
// never fold claude's messages themselves.
//
// A view is tmux's and the store's part (the base, from the last listing) with the live
// state over it. Link events (a claude started or exited, a link up or down) can change
// what tmux says, so they list again first; claude's own messages reuse the last base.
// A view equal to the one last published is not sent again (text deltas mostly are).

export class ViewPublisher {
  private readonly bases = new Map<string, SessionView>();
  private readonly lastSent = new Map<string, string>();
  private readonly lastStatus = new Map<string, string>();
  private listing: Promise<void> | null = null;
  private relistAgain = false;
  private readonly waiting = new Set<string>();

  constructor(
    private readonly host: string,
    private readonly live: LiveSessions,
    private readonly sessions: () => SessionStore,
    private readonly list: () => Promise<SessionView[]>,
    private readonly titleOf: (claudeSessionId: string | null) => string | null = () => null,
  ) {}

  /** Bases from a listing the hub made anyway (every `GET /api/sessions`). */
  remember(views: readonly SessionView[]): void {
    for (const view of views) this.bases.set(view.name, view);
  }

  changed(name: string, kind: string): void {
    // A text delta changes a view only when it changes the status (idle → working): the
    // common case is answered from memory, without a store read and a view per delta.
    if (kind === "stream" && this.live.heldStatus(name) === this.lastStatus.get(name)) return;
    if (kind === "link" || !this.bases.has(name)) {
      this.waiting.add(name);
      this.relist();
      return;
    }
    this.publish(name);
  }

  removed(name: string): void {
    this.bases.delete(name);
    this.lastSent.delete(name);
    this.lastStatus.delete(name);
    this.live.publishUpdate({ session: name, seq: null, at: new Date().toISOString(), kind: "removed", data: null });
  }

  /** One listing at a time; changes that arrive meanwhile are published after the next. */
  private relist(): void {
    if (this.listing) {
      this.relistAgain = true;
      return;
    }
    this.listing = (async () => {
      do {
        this.relistAgain = false;
        try {
          this.remember(await this.list());
        } catch {
          // tmux did not answer: publish from the bases at hand.
        }
        const names = [...this.waiting];
        this.waiting.clear();
        for (const name of names) this.publish(name);
      } while (this.relistAgain);
      this.listing = null;
    })();
  }

  /** The update clients get; also what `GET /api/sessions/:name` is made of. */
  update(name: string, base: SessionView): SessionUpdate | null {
    const record = this.sessions().get(this.host, name);
    if (!record) return null;
    const state = this.live.state(name, record.createdAt);
    const live = withLive({ ...base, favourite: record.favourite, muted: record.muted ?? false }, state, (record.transport as Transport | null) ?? null, record.claudeSessionId);
    const view = { ...live, title: this.titleOf(live.claudeSessionId) };
    return { view, pending: view.status === "dead" ? [] : state.pending, streamingText: this.live.streamingText(name) };
  }

  private publish(name: string): void {
    const base = this.bases.get(name);
    const update = base ? this.update(name, base) : null;
    if (!update) return;
    this.lastStatus.set(name, this.live.heldStatus(name) ?? "");
    const key = JSON.stringify([update.view, update.pending]);
    if (this.lastSent.get(name) === key) return;
    this.lastSent.set(name, key);
    this.live.publishUpdate({ session: name, seq: null, at: new Date().toISOString(), kind: "view", data: update });
  }
}
