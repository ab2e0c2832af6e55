import { expect, test, setDefaultTimeout } from "bun:test";
import { slowTextReply } from "../fixtures/fake-anthropic.ts";
import { expectOneTurnStoredOnce, makeLiveSandbox, type StoredEvent } from "../helpers/live.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The hub dies in the middle of a turn. claude keeps going under the bridge, which buffers
// and reconnects to the new hub; the log then has every event once, in order.
test("hub killed mid-turn and restarted: the bridge reconnects and no event is lost or doubled", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(slowTextReply("a reply that takes its time to stream out completely", 150, 4));
  await live.create("steady", ["--prompt", "talk slowly"]);
  await live.fake.waitForRequests(1);
  await live.waitForSession("steady", "working", (s) => s.status === "working");

  await live.killHub();

  const hub = Bun.spawn(["bun", CSM_ENTRY, "server"], { env: live.sb.env, stdout: "ignore", stderr: "ignore" });
  try {
    const done = await live.waitForSession("steady", "idle after the restart", (s) => s.status === "idle" && s.turns === 1 && s.linked);
    expect(done.lastMessage).toBe("a reply that takes its time to stream out completely");

    expectOneTurnStoredOnce((await live.api<StoredEvent[]>("GET", "/api/sessions/steady/events")).body);
  } finally {
    hub.kill();
    await hub.exited;
  }
});
