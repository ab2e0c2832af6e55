import { expect, test, setDefaultTimeout } from "bun:test";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { agentEndpoint, connectPeer } from "../helpers/sdk-peer.ts";
import { createSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const TOTAL = 300;

const assistant = (i: number) => ({
  type: "assistant",
  uuid: `u-${i}`,
  session_id: "s",
  parent_tool_use_id: null,
  message: { id: `m${i}`, model: "m", role: "assistant", content: [{ type: "text", text: `event ${i}` }], stop_reason: null },
});

/** Reads SSE until `stop` says so; returns the stored events seen (id and uuid). */
async function readEvents(response: Response, stop: (seen: { id: number; uuid?: string }[]) => boolean) {
  const seen: { id: number; uuid?: string }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (!stop(seen)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block);
      const data = /^data: (.*)$/m.exec(block);
      if (id) seen.push({ id: Number(id[1]), uuid: (JSON.parse(data![1]!) as { data: { uuid?: string } }).data.uuid });
    }
  }
  await reader.cancel();
  return seen;
}

// A client reconnects with Last-Event-ID while claude (here a peer on the agent socket)
// keeps writing: it must get every event exactly once, in order.
test("a session's stream resumes from Last-Event-ID mid-stream: none lost, none twice", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "chatty", repo, ["--transport", "sdk-url"]);
  const { url, secret } = await agentEndpoint(sb, "chatty");
  const peer = connectPeer(url, secret);
  expect(await peer.opened).toBe(true);
  const token = (await sb.csm(["token"])).stdout.trim();
  const open = (headers: Record<string, string>) => fetch(url.replace("ws://", "http://").replace("/ws/agent/chatty", "/api/sessions/chatty/stream"), { headers: { authorization: `Bearer ${token}`, ...headers } });

  // The writer holds back its last 100 events until the first stream has been read: the
  // reconnect below is then mid-stream however slowly the hub or the machine goes.
  const firstDone = Promise.withResolvers<void>();
  let sent = 0;
  const writer = (async () => {
    while (sent < TOTAL) {
      if (sent === 200) await firstDone.promise;
      peer.send(assistant(sent++));
      if (sent % 10 === 0) await Bun.sleep(5);
    }
    peer.send({ ...assistant(TOTAL), uuid: "u-end" });
  })();
  const first = await readEvents(await open({}), (seen) => seen.length >= 60);
  expect(sent).toBeLessThan(TOTAL); // the writer is still going: this is mid-stream
  firstDone.resolve();
  const rest = await readEvents(await open({ "last-event-id": String(first.at(-1)!.id) }), (seen) => seen.some((e) => e.uuid === "u-end"));
  await writer;

  const seen = [...first, ...rest].filter((e) => e.uuid?.startsWith("u-"));
  expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
  expect(seen.map((e) => e.uuid)).toEqual([...Array.from({ length: TOTAL }, (_, i) => `u-${i}`), "u-end"]);
  expect(seen.every((e, i) => i === 0 || e.id > seen[i - 1]!.id)).toBe(true);
});

test("a stream ticket opens one stream once, without the token in the URL", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const { ticket } = (await (await hub.fetch("/api/stream-tickets", { method: "POST" })).json()) as { ticket: string };
  const opened = await fetch(hub.url(`/api/events?ticket=${ticket}`));
  expect(opened.status).toBe(200);
  expect(opened.headers.get("content-type")).toBe("text/event-stream");
  await opened.body!.cancel();
  expect((await fetch(hub.url(`/api/events?ticket=${ticket}`))).status).toBe(401);
  const another = (await (await hub.fetch("/api/stream-tickets", { method: "POST" })).json()) as { ticket: string };
  expect((await fetch(hub.url(`/api/sessions?ticket=${another.ticket}`))).status).toBe(401);
});
