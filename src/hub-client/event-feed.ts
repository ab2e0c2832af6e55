import type { HubClient } from "./client.ts";
import type { PublishedEvent } from "../hub/live-sessions.ts";
import { readEventStream } from "./sse-reader.ts";
import { KEEPALIVE_MS } from "../hub/sse.ts";

// A subscription to a hub's /api/events, resumed from the last event seen after any drop,
// with capped backoff: the dashboard's to its hub, and the local hub's to each remote hub.
// Everything the dashboard shows moves on these events; nothing polls the sessions.

export type HubConnection = { state: "connecting" } | { state: "connected" } | { state: "reconnecting"; attempt: number; error: string | null };

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

export interface HubFeed {
  stop(): void;
}

/**
 * A hub that is hung (stopped, swapping, stuck) keeps its socket open and says nothing: the
 * stream carries a keep-alive every KEEPALIVE_MS (hub/sse.ts), so this long without one
 * means it is not answering, and the follower says so and reconnects instead of showing
 * stale as live. Above 15 s: a remote host's older csm sends one every 15 s.
 */
const SILENCE_MS = Math.max(4 * KEEPALIVE_MS, 20_000);

export function followHub(
  hub: HubClient,
  onEvent: (event: PublishedEvent) => void,
  onState: (state: HubConnection) => void,
  onResync: () => void,
  options: { silenceMs?: number } = {},
): HubFeed {
  const silenceMs = options.silenceMs ?? SILENCE_MS;
  let stopped = false;
  let lastSeq = 0;
  let controller: AbortController | null = null;
  void (async () => {
    for (let attempt = 0; !stopped; ) {
      const current = new AbortController();
      controller = current;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const alive = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => current.abort(new Error(`the hub sent nothing for ${silenceMs / 1000} s, not even its keep-alive: it is not answering`)), silenceMs);
      };
      try {
        alive();
        const response = await hub.stream("/api/events", lastSeq ? { "last-event-id": String(lastSeq) } : {}, current.signal);
        if (!response.ok || !response.body) throw new Error(`the hub answered ${response.status}`);
        onState({ state: "connected" });
        // After a gap the stream replays what was missed; a full refetch catches the rest.
        if (attempt > 0) onResync();
        attempt = 0;
        alive();
        const watched = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, out) => (alive(), out.enqueue(chunk)) }));
        await readEventStream(watched, (event) => {
          if (event.seq !== null) lastSeq = Math.max(lastSeq, event.seq);
          onEvent(event);
        });
        if (stopped) return;
        onState({ state: "reconnecting", attempt: attempt + 1, error: "the event stream ended" });
      } catch (error) {
        if (stopped) return;
        const reason = current.signal.aborted && current.signal.reason instanceof Error ? current.signal.reason : (error as Error);
        onState({ state: "reconnecting", attempt: attempt + 1, error: reason.message });
      } finally {
        clearTimeout(watchdog);
      }
      await Bun.sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!);
      attempt += 1;
    }
  })();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
