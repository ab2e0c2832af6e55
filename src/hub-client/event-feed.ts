import type { HubClient } from "./client.ts";
import type { PublishedEvent } from "../hub/live-sessions.ts";
import { readEventStream } from "./sse-reader.ts";

// A subscription to a hub's /api/events, resumed from the last event seen after any drop,
// with capped backoff: the dashboard's to its hub, and the local hub's to each remote hub.
// Everything the dashboard shows moves on these events; nothing polls the sessions.

export type HubConnection = { state: "connecting" } | { state: "connected" } | { state: "reconnecting"; attempt: number; error: string | null };

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

export interface HubFeed {
  stop(): void;
}

export function followHub(hub: HubClient, onEvent: (event: PublishedEvent) => void, onState: (state: HubConnection) => void, onResync: () => void): HubFeed {
  let stopped = false;
  let lastSeq = 0;
  let controller: AbortController | null = null;
  void (async () => {
    for (let attempt = 0; !stopped; ) {
      controller = new AbortController();
      try {
        const response = await hub.stream("/api/events", lastSeq ? { "last-event-id": String(lastSeq) } : {}, controller.signal);
        if (!response.ok || !response.body) throw new Error(`the hub answered ${response.status}`);
        onState({ state: "connected" });
        // After a gap the stream replays what was missed; a full refetch catches the rest.
        if (attempt > 0) onResync();
        attempt = 0;
        await readEventStream(response.body, (event) => {
          if (event.seq !== null) lastSeq = Math.max(lastSeq, event.seq);
          onEvent(event);
        });
        if (stopped) return;
        onState({ state: "reconnecting", attempt: attempt + 1, error: "the event stream ended" });
      } catch (error) {
        if (stopped) return;
        onState({ state: "reconnecting", attempt: attempt + 1, error: (error as Error).message });
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
