import { expect, test, setDefaultTimeout } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

interface LinkEvent {
  kind: string;
  data: { event?: string; pid?: number };
}

// claude dies: the session is `dead` with the reason at once; `csm reconnect` starts claude
// again with --resume in the same worktree, and it is the same claude session.
test("claude killed → dead with a reason; reconnect resumes the same claude session", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("first life"));
  await live.create("phoenix", ["--prompt", "hello"]);
  const before = await live.waitForSession("phoenix", "idle", (s) => s.status === "idle" && s.turns === 1);

  const events = (await live.api<LinkEvent[]>("GET", "/api/sessions/phoenix/events")).body;
  const claudePid = events.find((e) => e.kind === "link" && e.data.event === "claude_started")!.data.pid!;
  process.kill(claudePid, "SIGKILL");
  const dead = await live.waitForSession("phoenix", "dead within 2 s", (s) => s.status === "dead", 2_000);
  expect(dead.statusReason).toBe("claude was killed by SIGKILL");
  expect((await live.sb.csm(["list"])).stdout).toContain("dead (claude was killed by SIGKILL)");

  const reconnect = await live.sb.csm(["reconnect", "phoenix"], { env: live.claudeEnv });
  expect(reconnect).toMatchObject({ code: 0 });
  await live.waitForSession("phoenix", "alive again", (s) => s.status === "idle" && s.linked);

  live.fake.reply(textReply("second life"));
  expect(await live.sb.csm(["send", "phoenix", "are you back?"])).toMatchObject({ code: 0 });
  const after = await live.waitForSession("phoenix", "idle after the resumed turn", (s) => s.turns === 2 && s.status === "idle");
  expect(after.claudeSessionId).toBe(before.claudeSessionId);
  expect(after.lastMessage).toBe("second life");
  // The resumed claude sent the old conversation to the model: it really is the same session.
  const lastRequest = live.fake.requests.at(-1)!;
  expect(JSON.stringify(lastRequest.messages)).toContain("first life");
  // Cost of the first process is kept when the second starts from zero.
  expect(after.costUsd).toBeGreaterThan(before.costUsd);
});
