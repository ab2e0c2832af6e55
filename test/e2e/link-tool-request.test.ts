import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A tool that needs permission: the session shows `waiting` with the request; the answer
// (here through the hub's API, as a test helper) reaches claude by the request's own id.
test("a tool request shows as waiting and is settled by its id", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "touched");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("done"));

  await live.create("tool", ["--prompt", "touch the file"]);

  const waiting = await live.waitForSession("tool", "waiting for approval", (s) => s.status === "waiting");
  expect(waiting.pendingApprovals).toBe(1);
  expect(waiting.pending![0]).toMatchObject({ toolName: "Bash", input: { command: `touch ${target}` } });
  expect(existsSync(target)).toBe(false);

  const answer = await live.api("POST", "/api/sessions/tool/approve-tool", { requestId: waiting.pending![0]!.requestId, action: "allow" });
  expect(answer.status).toBe(200);

  const idle = await live.waitForSession("tool", "idle after the tool ran", (s) => s.status === "idle" && s.turns === 1);
  expect(idle).toMatchObject({ pendingApprovals: 0, lastMessage: "done" });
  expect(existsSync(target)).toBe(true);

  const again = await live.api<{ error: { name: string } }>("POST", "/api/sessions/tool/approve-tool", { requestId: waiting.pending![0]!.requestId, action: "allow" });
  expect(again.status).toBe(409);
});

test("a denied request does not run, and the model sees the reason", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "never");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply((request) => textReply(`model saw: ${lastToolResultText(request)}`));

  await live.create("deny", ["--prompt", "touch it"]);
  const waiting = await live.waitForSession("deny", "waiting", (s) => s.status === "waiting");
  await live.api("POST", "/api/sessions/deny/approve-tool", { requestId: waiting.pending![0]!.requestId, action: "deny", message: "not in this repo" });

  const idle = await live.waitForSession("deny", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("model saw: not in this repo");
  expect(existsSync(target)).toBe(false);
});
