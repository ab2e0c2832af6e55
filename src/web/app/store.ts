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
  /** Sessions whose view came over the stream while a list was being fetched: newer than that list. */
  private touched: Set<string> | null = null;

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

  beginList(): void {
    this.touched = new Set();
  }

  /** The hub's list and pending requests; a view that came over the stream meanwhile is kept. */
  applyList(views: LiveSessionView[], pending: (PendingRequest & { session: string; host?: string })[]): void {
    const touched = this.touched ?? new Set<string>();
    this.touched = null;
    const sessions = views.map((view): SessionEntry => {
      const key = sessionKey(view.host, view.name);
      const known = this.find(key);
      if (known && touched.has(key)) return known;
      const own = pending.filter((p) => sessionKey(p.host ?? view.host, p.session) === key);
      return { key, view, pending: own, streamingText: known?.streamingText ?? "" };
    });
    this.set({ sessions, loaded: true });
  }

  /** Applies one published event; returns the session's entry before it, for notifications. */
  apply(event: HubEvent): { before: SessionEntry | undefined; after: SessionEntry | undefined } {
    const key = sessionKey(event.host, event.session);
    const before = this.find(key);
    if (event.kind === "view") {
      this.touched?.add(key);
      const entry: SessionEntry = { key, ...event.data };
      const sessions = before ? this.state.sessions.map((s) => (s.key === key ? entry : s)) : [...this.state.sessions, entry];
      this.set({ sessions });
      return { before, after: entry };
    }
    if (event.kind === "removed") {
      this.touched?.add(key);
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
