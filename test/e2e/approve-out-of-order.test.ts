import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, lastUserText, textReply, type MessagesRequest } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint, connectPeer, toolRequest } from "../helpers/sdk-peer.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Several requests pending in one session (claude over sdk-url may ask several at once):
// no id is guessed, each is answered by its own id in any order, and a withdrawn one goes.
test("two requests pending in one session are answered out of order, each by its id", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.csm(["create", "multi", "--repo", live.repo, "--transport", "sdk-url"]);
  const { url, secret } = await agentEndpoint(live.sb, "multi");
  const claude = connectPeer(url, secret);
  expect(await claude.opened).toBe(true);
  claude.send(toolRequest("req-1", "touch one"), toolRequest("req-2", "touch two"), toolRequest("req-3", "touch three"));
  await live.waitForSession("multi", "three pending", (s) => s.pendingApprovals === 3);

  claude.send({ type: "control_cancel_request", request_id: "req-3" });
  await live.waitForSession("multi", "two pending", (s) => s.pendingApprovals === 2);

  const ambiguous = await live.sb.csm(["approve", "multi"]);
  expect(ambiguous.code).toBe(1);
  expect(ambiguous.stderr).toContain("multi has 2 pending requests; name one:");
  expect(ambiguous.stderr).toContain("req-1  Bash touch one");
  expect(ambiguous.stderr).toContain("req-2  Bash touch two");

  expect(await live.sb.csm(["approve", "multi", "req-2"])).toMatchObject({ code: 0 });
  expect(await live.sb.csm(["deny", "multi", "req-1", "--message", "not that one"])).toMatchObject({ code: 0 });
  expect(await live.sb.csm(["approve", "multi", "req-3"])).toMatchObject({ code: 1 });

  await live.sb.waitFor(() => claude.frames.length >= 2, { what: "two answers" });
  expect(claude.frames.map((frame) => JSON.parse(frame).response)).toEqual([
    { subtype: "success", request_id: "req-2", response: { behavior: "allow", updatedInput: { command: "touch two" } } },
    { subtype: "success", request_id: "req-1", response: { behavior: "deny", message: "not that one" } },
  ]);
  expect((await live.session("multi")).pendingApprovals).toBe(0);
});

// Two real claude sessions each waiting: answering the second first lets exactly its tool run.
test("pending requests in two sessions are answered independently, in either order", async () => {
  await using live = await makeLiveSandbox();
  const file = (name: string) => join(live.sb.paths.root, `file-${name}`);
  const script = (request: MessagesRequest) => {
    const result = lastToolResultText(request);
    if (result !== undefined) return textReply(`done: ${result}`);
    const name = lastUserText(request).includes("alpha") ? "alpha" : "beta";
    return bashReply(`touch ${file(name)}`);
  };
  for (let i = 0; i < 4; i++) live.fake.reply(script);
  await live.create("alpha", ["--prompt", "alpha: touch your file"]);
  await live.create("beta", ["--prompt", "beta: touch your file"]);
  await live.waitForSession("alpha", "waiting", (s) => s.status === "waiting");
  await live.waitForSession("beta", "waiting", (s) => s.status === "waiting");

  expect(await live.sb.csm(["approve", "beta"])).toMatchObject({ code: 0 });
  await live.waitForSession("beta", "idle", (s) => s.status === "idle");
  expect(existsSync(file("beta"))).toBe(true);
  expect(existsSync(file("alpha"))).toBe(false);
  expect((await live.session("alpha")).status).toBe("waiting");

  expect(await live.sb.csm(["deny", "alpha"])).toMatchObject({ code: 0 });
  await live.waitForSession("alpha", "idle", (s) => s.status === "idle");
  expect(existsSync(file("alpha"))).toBe(false);
});
