import { expect, test, setDefaultTimeout } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The real claude over the bridge: the first prompt is delivered once the link is up, the
// reply, turns and cost show live, and `csm send` carries the next message.
test("create with a prompt → idle with the reply, turns and cost; send a second message", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("Hello from the fake model"));

  await live.create("greet", ["--prompt", "say hello"]);

  const first = await live.waitForSession("greet", "idle after the first reply", (s) => s.status === "idle" && s.turns === 1);
  expect(first).toMatchObject({ transport: "bridge", linked: true, lastMessage: "Hello from the fake model", pendingApprovals: 0 });
  expect(first.model).toBeString();
  expect(first.costUsd).toBeGreaterThan(0);
  expect(first.claudeSessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(live.fake.requests.length).toBeGreaterThan(0);

  live.fake.reply(textReply("Second answer"));
  const sent = await live.sb.csm(["send", "greet", "and again"]);
  expect(sent).toMatchObject({ code: 0 });
  expect(sent.stdout).toContain("sent to greet");

  const second = await live.waitForSession("greet", "idle after the second reply", (s) => s.turns === 2 && s.status === "idle");
  expect(second.lastMessage).toBe("Second answer");
  // claude reports a running total per process: csm shows it, never adds turns' totals up.
  expect(second.costUsd).toBeGreaterThan(first.costUsd);
  expect(second.costUsd).toBeLessThan(first.costUsd * 3);
  expect(second.claudeSessionId).toBe(first.claudeSessionId);

  const listed = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as Record<string, unknown>[];
  expect(listed[0]).toMatchObject({ name: "greet", status: "idle", turns: 2, lastMessage: "Second answer", transport: "bridge", pendingApprovals: 0 });
  for (const field of ["claudeSessionId", "model", "costUsd"]) expect(listed[0]![field]).toBeDefined();
});
