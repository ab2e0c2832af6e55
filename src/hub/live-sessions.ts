import { foldEvent } from "../core/live/fold-event.ts";
import { applyClaudeMessage, initialLiveState, type LiveState } from "../core/live/live-state.ts";
import type { HubEvent } from "../core/live/hub-event.ts";
import type { ClaudeToCsm } from "../link/protocol.ts";
import type { EventStore, NewEvent, StoredEvent } from "../store/events.ts";
import type { SessionStore } from "../store/sessions.ts";

// The hub's live view of every session: folded from the event log, kept in memory,
// snapshotted to the store at the end of each turn so a restart replays only the tail.

/** What subscribers (SSE, the dashboard, remote hubs' followers) receive; see core/live/hub-event.ts. */
export type PublishedEvent = HubEvent;

export class LiveSessions {
  // Keyed by name, checked against the record's creation time: a session killed and made
  // again under the same name starts from a clean state.
  private readonly states = new Map<string, { createdAt: string | null; state: LiveState }>();
  private readonly streaming = new Map<string, string>();
  private readonly subscribers = new Set<(event: PublishedEvent) => void>();
  /** Told after a session's state may have changed, with the kind of event that changed it. */
  onChange: (name: string, kind: string) => void = () => {};

  constructor(
    private readonly host: string,
    private readonly sessions: SessionStore,
    private readonly events: EventStore,
  ) {}

  /** `createdAt` when the caller has the record at hand (saves a query per session in a list). */
  state(name: string, knownCreatedAt?: string | null): LiveState {
    const createdAt = knownCreatedAt !== undefined ? knownCreatedAt : (this.sessions.get(this.host, name)?.createdAt ?? null);
    const cached = this.states.get(name);
    if (cached && cached.createdAt === createdAt) return cached.state;
    const state = this.restore(name);
    this.states.set(name, { createdAt, state });
    return state;
  }

  private set(name: string, state: LiveState): void {
    this.states.set(name, { createdAt: this.sessions.get(this.host, name)?.createdAt ?? null, state });
  }

  /** The status held in memory, without asking the store (undefined before the first fold). */
  heldStatus(name: string): string | undefined {
    return this.states.get(name)?.state.status;
  }

  /** The text claude is streaming right now (cleared when its message is complete). */
  streamingText(name: string): string {
    return this.streaming.get(name) ?? "";
  }

  private restore(name: string): LiveState {
    const saved = this.sessions.liveSnapshot(this.host, name);
    let state = saved ? (saved.snapshot as LiveState) : initialLiveState();
    let after = saved?.seq ?? 0;
    for (;;) {
      const batch = this.events.after(this.host, name, after, 5000);
      for (const event of batch) state = foldEvent(state, event);
      if (batch.length < 5000) break;
      after = batch.at(-1)!.seq;
    }
    // Whatever link the previous hub had is gone with it.
    return { ...state, linked: false };
  }

  /** Stores events (replays dropped), folds them in, publishes them. */
  record(name: string, events: NewEvent[], linkSeq?: number): StoredEvent[] {
    // A late event (a socket closing) for a session killed meanwhile belongs to no one.
    if (!this.sessions.get(this.host, name)) return [];
    const stored = this.events.append(this.host, name, events, linkSeq);
    let state = this.state(name);
    let snapshot = false;
    for (const event of stored) {
      const before = state.status;
      state = foldEvent(state, event);
      if (event.kind === "claude" && (event.data as { type?: string }).type === "assistant") this.streaming.delete(name);
      snapshot ||= state.status !== before && (state.status === "idle" || state.status === "dead");
    }
    this.set(name, state);
    if (snapshot && stored.length > 0) {
      this.sessions.saveLiveSnapshot(this.host, name, state, stored.at(-1)!.seq, state.status === "dead" ? new Date().toISOString() : null);
    }
    for (const event of stored) this.publish({ session: name, seq: event.seq, at: event.at, kind: event.kind, data: event.data });
    for (const kind of new Set(stored.map((event) => event.kind))) this.onChange(name, kind);
    return stored;
  }

  /** Text deltas: shown live, never stored (the complete assistant message is). */
  recordTransient(name: string, message: ClaudeToCsm, at: string): void {
    const event = (message as { event?: { type?: string; delta?: { type?: string; text?: string } } }).event;
    if (event?.type === "content_block_delta" && event.delta?.type === "text_delta") {
      this.streaming.set(name, this.streamingText(name) + (event.delta.text ?? ""));
    }
    this.set(name, applyClaudeMessage(this.state(name), message, at));
    this.publish({ session: name, seq: null, at, kind: "stream", data: message });
    this.onChange(name, "stream");
  }

  setLinked(name: string, linked: boolean): void {
    this.set(name, { ...this.state(name), linked });
    this.onChange(name, "link");
  }

  forget(name: string): void {
    this.states.delete(name);
    this.streaming.delete(name);
  }

  /**
   * A remote hub's event, passed on to this hub's clients. Without a seq: remote seqs are
   * another hub's numbers, and would confuse a stream's resume position here.
   */
  publishRemote(event: PublishedEvent & { host: string }): void {
    // A remote hub's view names its own machine "local": here it is that host's session.
    if (event.kind === "view") return this.publish({ ...event, data: { ...event.data, view: { ...event.data.view, host: event.host } } });
    this.publish({ ...event, seq: null } as PublishedEvent);
  }

  /** A session's whole view after a change, or its removal (see hub/view-publisher.ts). */
  publishUpdate(event: PublishedEvent & { kind: "view" | "removed" }): void {
    this.publish(event);
  }

  subscribe(listener: (event: PublishedEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  private publish(event: PublishedEvent): void {
    for (const listener of this.subscribers) listener(event);
  }
}
