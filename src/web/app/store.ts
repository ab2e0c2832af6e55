import type { HubEvent, SessionUpdate } from "../../core/live/hub-event.ts";
import type { PendingRequest } from "../../core/live/live-state.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";

// What the page knows: the hub's views of every session (applied whole, never folded from
// claude's messages here), the pending requests, and the logs of the sessions it opened.

export interface SessionEntry extends SessionUpdate {
  key: string;
}

export type Connection = "connecting" | "live" | "reconnecting";

export interface State {
  sessions: SessionEntry[];
  /** Whether the first list has come. */
  loaded: boolean;
  connection: Connection;
  /** Logs of the sessions opened in this page, by key, oldest first. */
  logs: Record<string, HubEvent[]>;
}

const MAX_LOG = 500;

export const sessionKey = (host: string | undefined, name: string) => `${host ?? "local"}/${name}`;

type Listener = (state: State) => void;

export class Store {
  state: State = { sessions: [], loaded: false, connection: "connecting", logs: {} };
  private readonly listeners = new Set<Listener>();
  /** For each list being fetched, the sessions the stream spoke of meanwhile: newer than that list. */
  private readonly lists = new Set<Set<string>>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  find(key: string | null): SessionEntry | undefined {
    return key === null ? undefined : this.state.sessions.find((entry) => entry.key === key);
  }

  setConnection(connection: Connection): void {
    if (connection !== this.state.connection) this.set({ connection });
  }

  /** A list is asked for: what the stream says from now on is newer than it. Hand the result to applyList, then endList. */
  beginList(): Set<string> {
    const touched = new Set<string>();
    this.lists.add(touched);
    return touched;
  }

  endList(touched: Set<string>): void {
    this.lists.delete(touched);
  }

  /**
   * The hub's list and pending requests. A session the stream spoke of since `beginList` keeps
   * what the stream said: its view, its removal, or its arrival.
   */
  applyList(views: LiveSessionView[], pending: (PendingRequest & { session: string; host?: string })[], touched: ReadonlySet<string> = new Set()): void {
    const listed = new Set(views.map((view) => sessionKey(view.host, view.name)));
    const sessions = views.flatMap((view): SessionEntry[] => {
      const key = sessionKey(view.host, view.name);
      const known = this.find(key);
      if (touched.has(key)) return known ? [known] : [];
      const own = pending.filter((p) => sessionKey(p.host ?? view.host, p.session) === key);
      return [{ key, view, pending: own, streamingText: known?.streamingText ?? "" }];
    });
    const arrived = this.state.sessions.filter((entry) => touched.has(entry.key) && !listed.has(entry.key));
    this.set({ sessions: [...sessions, ...arrived], loaded: true });
  }

  /** A log the page keeps from now on: events the stream brings before its tail arrives are kept too. */
  openLog(key: string): void {
    if (!this.state.logs[key]) this.set({ logs: { ...this.state.logs, [key]: [] } });
  }

  /** Applies one published event; returns the session's entry before it, for notifications. */
  apply(event: HubEvent): { before: SessionEntry | undefined; after: SessionEntry | undefined } {
    const key = sessionKey(event.host, event.session);
    const before = this.find(key);
    if (event.kind === "view" || event.kind === "removed") for (const touched of this.lists) touched.add(key);
    if (event.kind === "view") {
      const entry: SessionEntry = { key, ...event.data };
      const sessions = before ? this.state.sessions.map((s) => (s.key === key ? entry : s)) : [...this.state.sessions, entry];
      this.set({ sessions });
      return { before, after: entry };
    }
    if (event.kind === "removed") {
      this.set({ sessions: this.state.sessions.filter((s) => s.key !== key) });
      return { before, after: undefined };
    }
    if (event.kind === "stream") return { before, after: before };
    this.appendLog(key, [event]);
    return { before, after: before };
  }

  /** Streamed text adds to what the session shows streaming, until its next view. */
  addStreamed(key: string, text: string): void {
    if (text === "") return;
    this.set({ sessions: this.state.sessions.map((s) => (s.key === key ? { ...s, streamingText: s.streamingText + text } : s)) });
  }

  /** Adds events to a log the page keeps (one it opened), by seq, each once. */
  appendLog(key: string, events: HubEvent[], open = false): void {
    const log = this.state.logs[key];
    if (!log && !open) return;
    const seen = new Set((log ?? []).map((e) => e.seq).filter((seq) => seq !== null));
    const merged = [...(log ?? [])];
    for (const event of events) if (event.seq === null || !seen.has(event.seq)) merged.push(event);
    merged.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    this.set({ logs: { ...this.state.logs, [key]: merged.slice(-MAX_LOG) } });
  }
}
