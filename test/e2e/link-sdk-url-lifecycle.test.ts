import { expect, test, setDefaultTimeout } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint, connectPeer } from "../helpers/sdk-peer.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("sdk-url: a dead claude comes back alive on reconnect, and gets its undelivered first prompt", async () => {
  await using live = await makeLiveSandbox();
  // The hub starts first, so the claude it starts again on reconnect does not inherit the
  // failure below: a hub started by this create would, and the second claude would die too.
  expect(await live.sb.csm(["server", "start"])).toMatchObject({ code: 0 });
  // The stand-in exits at once, as a claude that failed to start would.
  await live.sb.csm(["create", "phoenix", "--repo", live.repo, "--transport", "sdk-url", "--prompt", "first words"], { env: { FAKE_CLAUDE_EXIT: "1" } });
  await live.waitForSession("phoenix", "dead", (s) => s.status === "dead");

  expect(await live.sb.csm(["reconnect", "phoenix"])).toMatchObject({ code: 0 });
  const back = await live.waitForSession("phoenix", "alive", (s) => s.status !== "dead");
  expect(back.status).toBe("idle");

  const { url, secret } = await agentEndpoint(live.sb, "phoenix");
  const claude = connectPeer(url, secret);
  expect(await claude.opened).toBe(true);
  await live.sb.waitFor(() => claude.frames.length > 0, { what: "the first prompt" });
  expect(JSON.parse(claude.frames[0]!)).toMatchObject({ type: "user", message: { content: "first words" } });
  // The claude started again is still running: the session stays alive, not only for a moment.
  await Bun.sleep(1_000);
  expect((await live.session("phoenix")).status).not.toBe("dead");
});

test("reconnect refuses while claude still runs; a refused kill leaves an sdk-url claude linked", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.csm(["create", "busy", "--repo", live.repo, "--transport", "sdk-url"]);
  const { url, secret } = await agentEndpoint(live.sb, "busy");
  const claude = connectPeer(url, secret);
  expect(await claude.opened).toBe(true);

  const reconnect = await live.sb.csm(["reconnect", "busy"]);
  expect(reconnect.code).toBe(1);
  expect(reconnect.stderr).toContain("busy's claude is still running");

  const session = await live.session("busy");
  writeFileSync(join(String((session as unknown as { worktree: string }).worktree), "unsaved.txt"), "work in progress");
  const refused = await live.sb.csm(["kill", "busy"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("refusing to kill busy");
  const stillOpen = await Promise.race([claude.closed.then(() => false), Bun.sleep(300).then(() => true)]);
  expect(stillOpen).toBe(true);
  expect((await live.session("busy")).linked).toBe(true);

  expect(await live.sb.csm(["kill", "busy", "--force"])).toMatchObject({ code: 0 });
  expect(await claude.closed).toBe(4001);
});
