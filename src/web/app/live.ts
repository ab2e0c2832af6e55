import { streamedText, type HubEvent, type StreamEvent } from "../../core/live/hub-event.ts";
import type { PendingRequest } from "../../core/live/live-state.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { api, sessionPath } from "./api.ts";
import { sessionKey, type SessionEntry, type Store } from "./store.ts";

// The page's one event stream (GET /api/events, the browser session's cookie). On each
// (re)open it fetches the list again, since views are not replayed; stored events resume
// from the last seq it saw (?after=), so a log misses nothing across a hub restart.

const KINDS = ["view", "removed", "stream", "claude", "sent", "link", "decision"] as const;
const MAX_RETRY_MS = 4000;

export interface LiveFeed {
  /** Loads an opened session's log (its last events) and keeps it live. */
  openLog(host: string, name: string): Promise<void>;
  stop(): void;
}

export function startLive(store: Store, onChange: (before: SessionEntry | undefined, after: SessionEntry | undefined) => void): LiveFeed {
  let source: EventSource | null = null;
  let lastSeq = 0;
  let retryMs = 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const opened = new Set<string>();

  async function refresh(): Promise<void> {
    const touched = store.beginList();
    try {
      const [views, pending] = await Promise.all([
        api<LiveSessionView[]>("GET", "/api/sessions"),
        api<(PendingRequest & { session: string; host?: string })[]>("GET", "/api/pending"),
      ]);
      store.applyList(views, pending, touched);
    } finally {
      store.endList(touched);
    }
  }

  async function loadLog(key: string): Promise<void> {
    const [host, name] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const events = await api<HubEvent[]>("GET", sessionPath(host, name, "/events?tail=200"));
    store.appendLog(key, events, true);
  }

  function handle(message: MessageEvent<string>): void {
    const event = JSON.parse(message.data) as HubEvent;
    if (event.seq !== null && event.seq > lastSeq) lastSeq = event.seq;
    if (event.kind === "stream") return store.addStreamed(sessionKey(event.host, event.session), streamedText(event as StreamEvent));
    const { before, after } = store.apply(event);
    if (event.kind === "view" || event.kind === "removed") onChange(before, after);
  }

  function open(): void {
    if (stopped) return;
    source = new EventSource(lastSeq > 0 ? `/api/events?after=${lastSeq}` : "/api/events", { withCredentials: false });
    source.addEventListener("open", () => {
      retryMs = 250;
      store.setConnection("live");
      refresh().catch(() => undefined);
      for (const key of opened) loadLog(key).catch(() => undefined);
    });
    for (const kind of KINDS) source.addEventListener(kind, handle as EventListener);
    source.addEventListener("error", () => {
      // The browser would retry on its own, but gives up on any answer but 200 (a hub
      // that is starting): this retries every time, backing off.
      source?.close();
      store.setConnection("reconnecting");
      clearTimeout(timer);
      timer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  }

  open();
  return {
    async openLog(host, name) {
      const key = sessionKey(host, name);
      opened.add(key);
      store.openLog(key);
      await loadLog(key);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
