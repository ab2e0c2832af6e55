import { expect, test } from "bun:test";
import { HubClient } from "../../src/hub-client/client.ts";
import { followHub, type HubConnection } from "../../src/hub-client/event-feed.ts";

// A hub that is hung keeps its socket open and says nothing. The follower counts its
// keep-alives: when they stop it says the hub is not answering and reconnects, instead of
// showing what it last heard as live. A real socket on 127.0.0.1 plays the hub.

const encoder = new TextEncoder();

/** A hub that accepts the stream, then sends `keepalives` comments `everyMs` apart and falls silent. */
function quietHub(keepalives: number, everyMs: number) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            for (let i = 0; i < keepalives; i++) {
              await Bun.sleep(everyMs);
              controller.enqueue(encoder.encode(": keep-alive\n\n"));
            }
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  });
}

test("keep-alives keep the follower connected; when they stop it says the hub is not answering, and reconnects", async () => {
  using server = quietHub(6, 50);
  const states: HubConnection[] = [];
  const hub = new HubClient({ pid: 1, port: server.port!, version: "0", startedAt: "" }, "token");
  const feed = followHub(hub, () => {}, (state) => void states.push(state), () => {}, { silenceMs: 150 });
  try {
    // Six keep-alives 50 ms apart: 300 ms connected, though silence counts from 150 ms.
    await Bun.sleep(280);
    expect(states).toEqual([{ state: "connected" }]);
    for (let i = 0; i < 100 && states.length < 2; i++) await Bun.sleep(20);
    expect(states[1]).toEqual({ state: "reconnecting", attempt: 1, error: "the hub sent nothing for 0.15 s, not even its keep-alive: it is not answering" });
  } finally {
    feed.stop();
  }
});

test("a look at a hub that accepts and never answers gives up, naming the hub; a change is waited for", async () => {
  using server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const hub = new HubClient({ pid: 1, port: server.port, version: "0", startedAt: "" }, "token", 200);
  const started = Date.now();
  await expect(hub.request("GET", "/api/sessions")).rejects.toThrow(`the csm hub on port ${server.port} did not answer within 0.2 s; it may be stuck`);
  expect(Date.now() - started).toBeLessThan(5_000);
  const changing = hub.request("POST", "/api/sessions", {}).then(
    () => "answered",
    () => "failed",
  );
  expect(await Promise.race([changing, Bun.sleep(600).then(() => "still waiting")])).toBe("still waiting");
});
