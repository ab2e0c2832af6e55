import type { PublishedEvent } from "../hub/live-sessions.ts";

// Reads a hub event stream (text/event-stream) into events, for the CLI and the
// dashboard. Comments (keep-alives, ": ready") are skipped.
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: PublishedEvent) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").find((line) => line.startsWith("data: "));
      if (data) onEvent(JSON.parse(data.slice(6)) as PublishedEvent);
    }
  }
}
