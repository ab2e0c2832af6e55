import type { PublishedEvent } from "./live-sessions.ts";

// Server-sent events. A stream first replays the stored events after the client's
// position, then goes live. It subscribes BEFORE reading the backlog and drops live
// events it already replayed, so nothing falls in the gap between the two and nothing
// comes twice. seq is one sequence for every session, so one position resumes a stream
// of one session or of all.

export interface SseSource {
  subscribe(listener: (event: PublishedEvent) => void): () => void;
  backlog(after: number): PublishedEvent[];
  /** Which events this stream carries (one session, or all). */
  accepts(event: PublishedEvent): boolean;
}

/** Also the sign of life a follower waits for (hub-client/event-feed.ts): it gives up after three missed. */
export const KEEPALIVE_MS = 5_000;

export function sseResponse(source: SseSource, after: number, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let lastSent = after;
  let unsubscribe = () => {};
  let keepalive: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (event: PublishedEvent) => {
        if (!source.accepts(event)) return;
        if (event.seq !== null) {
          if (event.seq <= lastSent) return;
          lastSent = event.seq;
        }
        const id = event.seq !== null ? `id: ${event.seq}\n` : "";
        try {
          controller.enqueue(encoder.encode(`${id}event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`));
        } catch {
          cleanup();
        }
      };
      const queued: PublishedEvent[] = [];
      let replaying = true;
      unsubscribe = source.subscribe((event) => (replaying ? queued.push(event) : write(event)));
      for (const event of source.backlog(after)) write(event);
      replaying = false;
      for (const event of queued) write(event);
      controller.enqueue(encoder.encode(": ready\n\n"));
      keepalive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keepalive\n\n"));
        } catch {
          cleanup();
        }
      }, KEEPALIVE_MS);
    },
    cancel() {
      cleanup();
    },
  });
  const cleanup = () => {
    unsubscribe();
    if (keepalive) clearInterval(keepalive);
  };
  signal.addEventListener("abort", cleanup);
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}
