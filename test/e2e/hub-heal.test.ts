import { expect, setDefaultTimeout, test } from "bun:test";
import { slowTextReply, textReply } from "../fixtures/fake-anthropic.ts";
import { expectOneTurnStoredOnce, makeLiveSandbox, type LiveSandbox, type LiveSession, type StoredEvent } from "../helpers/live.ts";

// The hub dies (kill -9) in the middle of a turn and nobody starts it: the session's
// bridge does, relinks and replays. Only `csm list` (which never starts a hub) is run.

setDefaultTimeout(45_000);

type Listed = LiveSession & { stale?: boolean };

async function listed(live: LiveSandbox): Promise<Listed[]> {
  const result = await live.sb.csm(["list", "--json"]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Listed[];
}

test("kill -9 of the hub mid-turn: within 10 s `csm list` shows the live session again, every event stored once", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(slowTextReply("a reply that takes its time to stream out completely", 150, 4));
  await live.create("steady", ["--prompt", "talk slowly"]);
  await live.waitForSession("steady", "working", (s) => s.status === "working");

  const oldHub = await live.killHub();
  let staleRow: Listed | undefined;
  const back = await live.sb.waitFor(
    async () => {
      const [session] = await listed(live);
      if (session?.stale) staleRow ??= session;
      return session && !session.stale && session.linked && session.status === "idle" && session.turns === 1 ? session : undefined;
    },
    { what: "csm list to show the session live and idle", timeoutMs: 10_000, intervalMs: 100 },
  );
  expect(back.lastMessage).toBe("a reply that takes its time to stream out completely");
  expect(live.hubPid()).not.toBe(oldHub);
  // While no hub ran, the row showed the last known state (never a blank one), unless the bridge was quicker than list.
  if (staleRow) expect(staleRow).toMatchObject({ name: "steady", status: "working", linked: false, transport: "bridge" });

  expectOneTurnStoredOnce((await live.api<StoredEvent[]>("GET", "/api/sessions/steady/events")).body);
});

test("with no hub, `csm list` shows each session's last known state, marked stale", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("all done here"));
  await live.create("known", ["--prompt", "say it"]);
  const idle = await live.waitForSession("known", "idle", (s) => s.status === "idle" && s.turns === 1);
  // Stopped on purpose: the bridge leaves it stopped, and list does not start one.
  expect(await live.sb.csm(["server", "stop"])).toMatchObject({ code: 0 });

  const [row] = await listed(live);
  expect(row).toMatchObject({ name: "known", status: "idle", stale: true, linked: false, turns: 1, model: idle.model, lastMessage: "all done here", costUsd: idle.costUsd });
  expect(row!.model).not.toBeNull();
  const table = await live.sb.csm(["list"]);
  expect(table.stdout).toMatch(/known\s+local\s+idle\?\s/);
  expect((await live.sb.csm(["server", "status"])).code).toBe(1);
});
