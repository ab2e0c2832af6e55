import { expect, test, setDefaultTimeout } from "bun:test";
import { slowTextReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

interface StoredEvent {
  seq: number;
  kind: string;
  data: { type?: string; uuid?: string; event?: string };
}

// The hub dies in the middle of a turn. claude keeps going under the bridge, which buffers
// and reconnects to the new hub; the log then has every event once, in order.
test("hub killed mid-turn and restarted: the bridge reconnects and no event is lost or doubled", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(slowTextReply("a reply that takes its time to stream out completely", 150, 4));
  await live.create("steady", ["--prompt", "talk slowly"]);
  await live.fake.waitForRequests(1);
  await live.waitForSession("steady", "working", (s) => s.status === "working");

  const oldHub = live.hubPid();
  process.kill(oldHub, "SIGKILL");
  await live.sb.waitFor(() => {
    try {
      process.kill(oldHub, 0);
      return false;
    } catch {
      return true;
    }
  }, { what: "the old hub to be gone" });

  const hub = Bun.spawn(["bun", CSM_ENTRY, "server"], { env: live.sb.env, stdout: "ignore", stderr: "ignore" });
  try {
    const done = await live.waitForSession("steady", "idle after the restart", (s) => s.status === "idle" && s.turns === 1 && s.linked);
    expect(done.lastMessage).toBe("a reply that takes its time to stream out completely");

    const events = (await live.api<StoredEvent[]>("GET", "/api/sessions/steady/events")).body;
    expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
    const uuids = events.map((e) => e.data.uuid).filter((uuid): uuid is string => typeof uuid === "string");
    expect(new Set(uuids).size).toBe(uuids.length);
    const kinds = events.filter((e) => e.kind !== "link").map((e) => e.data.type);
    expect(kinds.filter((type) => type === "result")).toHaveLength(1);
    expect(kinds.filter((type) => type === "assistant")).toHaveLength(1);
    expect(kinds.indexOf("user")).toBeLessThan(kinds.indexOf("assistant"));
    expect(kinds.indexOf("assistant")).toBeLessThan(kinds.indexOf("result"));
    const started = events.filter((e) => e.data.event === "claude_started");
    expect(started).toHaveLength(1);
  } finally {
    hub.kill();
    await hub.exited;
  }
});
