import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { slowTextReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { createNative, press, screen, sessionEvents, waitForScreen } from "../helpers/native.ts";

// A native claude's life as csm drives it: an interrupt (an Esc on claude's screen, which
// fires no hook), a kill -9 and a reconnect that resumes the same conversation, a rename.

setDefaultTimeout(60_000);

test("native: csm interrupt stops a slow reply; idle as interrupted, and the turn is not counted", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(slowTextReply("this would take a long long long long long long long long time to finish", 300, 2));
  await createNative(live, "stopme", "go slowly");
  await live.waitForSession("stopme", "working", (s) => s.status === "working", 30_000);
  await live.fake.waitForRequests(1);
  await waitForScreen(live, "stopme", "esc to interrupt");

  expect(await live.sb.csm(["interrupt", "stopme"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("stopme", "idle after the interrupt", (s) => s.status === "idle", 10_000);
  expect(idle).toMatchObject({ statusReason: "interrupted", turns: 0 });

  // The next prompt is one turn, not two: the interrupted one never ends again later.
  live.fake.reply(textReply("after the stop"));
  expect(await live.sb.csm(["send", "stopme", "carry on"])).toMatchObject({ code: 0 });
  const next = await live.waitForSession("stopme", "idle after the next turn", (s) => s.status === "idle" && s.lastMessage === "after the stop");
  expect(next).toMatchObject({ turns: 1, statusReason: null });
  const results = (await sessionEvents(live, "stopme")).filter((e) => e.kind === "claude" && e.data.type === "result");
  expect(results).toHaveLength(1);
});

test("native: claude killed by SIGKILL is dead with that reason; reconnect resumes the same conversation", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("first life"));
  await createNative(live, "phoenix", "hello");
  const before = await live.waitForSession("phoenix", "idle", (s) => s.status === "idle" && s.turns === 1, 30_000);

  // claude writes its transcript a moment after the turn's Stop hook: a claude killed before
  // that has no conversation to resume. The reply read from the transcript says it is there.
  await live.sb.waitFor(async () => (await sessionEvents(live, "phoenix")).some((e) => e.kind === "claude" && e.data.type === "assistant"), { what: "the reply in claude's transcript" });
  const started = (await sessionEvents(live, "phoenix")).filter((e) => e.data.event === "claude_started");
  expect(started).toHaveLength(1);
  process.kill(started[0]!.data.pid!, "SIGKILL");
  const dead = await live.waitForSession("phoenix", "dead", (s) => s.status === "dead", 10_000);
  expect(dead.statusReason).toBe("claude was killed by SIGKILL");

  expect(await live.sb.csm(["reconnect", "phoenix"], { env: live.claudeEnv })).toMatchObject({ code: 0 });
  await live.waitForSession("phoenix", "alive again", (s) => s.status === "idle" && s.linked, 30_000);

  live.fake.reply(textReply("second life"));
  expect(await live.sb.csm(["send", "phoenix", "again"])).toMatchObject({ code: 0 });
  const after = await live.waitForSession("phoenix", "idle after the resumed turn", (s) => s.status === "idle" && s.turns === 2);
  expect(after).toMatchObject({ claudeSessionId: before.claudeSessionId, lastMessage: "second life" });
  // The resumed claude sent the old conversation to the model: the same conversation, really.
  expect(JSON.stringify(live.fake.requests.at(-1)!.messages)).toContain("first life");
  const restarted = (await sessionEvents(live, "phoenix")).filter((e) => e.data.event === "claude_started");
  expect(restarted).toHaveLength(2);
  expect(restarted[1]!.data.pid).not.toBe(started[0]!.data.pid);
});

test("native: csm rename has claude write the title into its own transcript", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("ready"));
  await createNative(live, "namer", "get ready");
  const idle = await live.waitForSession("namer", "idle", (s) => s.status === "idle" && s.turns === 1, 30_000);

  const renamed = await live.sb.csm(["rename", "namer", "new title", "--json"], { env: live.claudeEnv });
  expect(renamed.stderr).toBe("");
  expect(JSON.parse(renamed.stdout)).toMatchObject({ id: idle.claudeSessionId, title: "new title", by: "claude" });

  const glob = new Bun.Glob(`projects/*/${idle.claudeSessionId}.jsonl`);
  const [transcript] = [...glob.scanSync({ cwd: live.claudeEnv.CLAUDE_CONFIG_DIR!, absolute: true })];
  expect(transcript).toBeDefined();
  const titles = () =>
    readFileSync(transcript!, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { type?: string; customTitle?: string; sessionId?: string })
      .filter((record) => record.type === "custom-title");
  await live.sb.waitFor(() => titles().some((record) => record.customTitle === "new title"), { what: "a custom-title record in claude's transcript", timeoutMs: 15_000 });
  expect(titles()).toEqual([expect.objectContaining({ customTitle: "new title", sessionId: idle.claudeSessionId })]);
});

test("native: /clear on claude's screen moves the session to the new conversation, which csm follows", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("before the clear"));
  await createNative(live, "fresh", "hello");
  const before = await live.waitForSession("fresh", "idle", (s) => s.status === "idle" && s.turns === 1, 30_000);
  await live.sb.tmux(["send-keys", "-t", "=csm-fresh:agent", "-l", "/clear"]);
  await waitForScreen(live, "fresh", "/clear");
  await press(live, "fresh", "Enter");
  // /clear is done once claude's SessionEnd (reason clear) is in the log and its screen no
  // longer shows the old conversation: the hook comes first, the screen clears after it.
  await live.sb.waitFor(
    async () =>
      (await sessionEvents(live, "fresh")).some((e) => e.data.event === "session_end" && e.data.reason === "clear") &&
      !(await screen(live, "fresh")).includes("before the clear"),
    { what: "/clear to end the conversation and clear claude's screen" },
  );

  live.fake.reply(textReply("after the clear"));
  expect(await live.sb.csm(["send", "fresh", "start over"])).toMatchObject({ code: 0 });
  const after = await live.waitForSession("fresh", "the reply in the new conversation", (s) => s.status === "idle" && s.lastMessage === "after the clear", 30_000);
  expect(after.claudeSessionId).not.toBe(before.claudeSessionId);
  expect(after).toMatchObject({ statusReason: null, turns: 2 });
  // The store follows too (it is what a reconnect resumes): read with no hub running.
  expect((await live.sb.csm(["server", "stop"])).code).toBe(0);
  const listed = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { name: string; claudeSessionId: string }[];
  expect(listed.find((s) => s.name === "fresh")!.claudeSessionId).toBe(after.claudeSessionId!);
});
