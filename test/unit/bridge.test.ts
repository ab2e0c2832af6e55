import { expect, test } from "bun:test";
import type { PipedProcess } from "../../src/host/runner.ts";
import { runBridge } from "../../src/link/bridge.ts";
import { plain } from "../../src/link/render.ts";
import { launchSpec } from "../helpers/launch-spec.ts";
import { scriptedHub } from "../helpers/scripted-hub.ts";

// The bridge's bookkeeping with a scripted hub socket and a scripted claude: what is sent,
// when, with which seq, and what reaches claude's stdin.

function fakeClaude() {
  let push!: (line: string) => void;
  let end!: () => void;
  let exit!: (code: number) => void;
  const written: string[] = [];
  const stdout = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (line) => controller.enqueue(new TextEncoder().encode(line));
      end = () => controller.close();
    },
  });
  const process: PipedProcess = {
    pid: 42,
    write: (text) => void written.push(text),
    closeStdin: () => {},
    stdout,
    stderr: new ReadableStream({ start: (c) => c.close() }),
    exited: new Promise((resolve) => (exit = (code) => resolve({ code, signal: null }))),
    kill: () => {},
  };
  return { process, written, say: (o: object) => push(`${JSON.stringify(o)}\n`), finish: (code: number) => (end(), exit(code)) };
}

function fakeHub() {
  const hub = scriptedHub();
  // The relayed frames; the bridge's report of open requests after each hello is `reports`.
  const frames = (i: number) => hub.all(i).filter((f) => f.type !== "csm_open_requests");
  const reports = (i: number) => hub.all(i).filter((f) => f.type === "csm_open_requests").map((f) => f.requests as { request_id: string }[]);
  return { sockets: hub.sockets, connect: hub.connect, frames, reports, hello: hub.hello };
}

const spec = launchSpec({ prompt: "first", agentUrl: "ws://x/ws/agent/s" });
/** No hook calls in these tests: the hook has its own tests below. */
const noHooks = { serveHooks: async () => ({ env: {}, stop() {} }), judgeToolUse: async () => ({ kind: "pass" as const }) };
const tick = () => Bun.sleep(5);

test("nothing leaves before the hub's hello; numbering continues the hub's sequence", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge(spec, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  expect(JSON.parse(claude.written[0]!)).toMatchObject({ type: "user", message: { content: "first" } });
  expect(hub.sockets[0]!.sent).toEqual([]);
  hub.hello(0, 40);
  const frames = hub.frames(0);
  expect(frames.map((f) => f.csm_seq)).toEqual([41, 42]);
  expect(frames[0]).toMatchObject({ type: "csm_bridge", event: { event: "claude_started", pid: 42 } });
  expect(frames[1]).toMatchObject({ type: "csm_sent", message: { type: "user" } });
  claude.finish(0);
  expect(await done).toBe(0);
});

test("after a reconnect, only frames the hub has not stored are sent again", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  claude.say({ type: "assistant", uuid: "a1", message: { content: [] } });
  claude.say({ type: "result", uuid: "r1" });
  await tick();
  expect(hub.frames(0).map((f) => f.csm_seq)).toEqual([1, 2, 3]);
  hub.sockets[0]!.handlers.close();
  claude.say({ type: "assistant", uuid: "a2", message: { content: [] } });
  await Bun.sleep(20);
  expect(hub.sockets).toHaveLength(2);
  hub.hello(1, 2);
  expect(hub.frames(1).map((f) => [f.csm_seq, f.uuid])).toEqual([
    [3, "r1"],
    [4, "a2"],
  ]);
  claude.finish(0);
  await done;
});

test("a message from the hub reaches claude once, even when the hub sends it again", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  const message = `${JSON.stringify({ type: "user", message: { role: "user", content: "hi" }, parent_tool_use_id: null, session_id: "", csm_out: "o1" })}\n`;
  hub.sockets[0]!.handlers.message(message);
  hub.sockets[0]!.handlers.message(message);
  expect(claude.written).toHaveLength(1);
  expect(JSON.parse(claude.written[0]!).csm_out).toBeUndefined();
  const replies = hub.frames(0).filter((f) => f.type !== "csm_bridge");
  expect(replies.map((f) => [f.type, f.out])).toEqual([
    ["csm_sent", "o1"],
    ["csm_delivered", "o1"],
  ]);
  claude.finish(0);
  await done;
});

test("claude's exit is reported with its status and becomes the bridge's exit code", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  claude.finish(3);
  await tick();
  hub.sockets[0]!.handlers.message(`${JSON.stringify({ type: "csm_ack", seq: 99 })}\n`);
  expect(await done).toBe(3);
  expect(hub.frames(0).at(-1)).toMatchObject({ type: "csm_bridge", event: { event: "claude_exited", code: 3 } });
});

test("claude's PreToolUse hook is served before claude starts; a denial reaches claude and the hub, once", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  let answer!: (payload: unknown) => Promise<Record<string, unknown>>;
  let spawnedEnv: Record<string, string> | undefined;
  const decision = { event: "decision", requestId: "toolu_1", toolName: "Read", action: "deny", by: "rule", via: "PreToolUse", ruleIndex: 0, rule: { tool: "Read", action: "deny" }, reason: "r", message: "Denied by csm rule X" } as const;
  const done = runBridge({ ...spec, prompt: undefined }, {
    spawnClaude: (s) => ((spawnedEnv = s.env), claude.process),
    connect: hub.connect,
    print: () => {},
    typed: null,
    palette: plain,
    sleep: (ms) => Bun.sleep(Math.min(ms, 5)),
    flushTimeoutMs: 50,
    serveHooks: async (handler) => ((answer = handler), { env: { CSM_HOOK_SECRET: "h" }, stop() {} }),
    judgeToolUse: async (call) => (call.toolName === "Read" ? { kind: "deny", decision: { ...decision, rule: { tool: "Read", action: "deny" } } } : { kind: "pass" }),
  });
  await tick();
  expect(spawnedEnv).toEqual({ CSM_HOOK_SECRET: "h" });
  hub.hello(0, 0);
  expect(await answer({ hook_event_name: "PreToolUse", tool_name: "Read", tool_input: { file_path: "/w/s" }, tool_use_id: "toolu_1" })).toEqual({
    hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: "Denied by csm rule X" },
  });
  expect(await answer({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "ls" } })).toEqual({});
  expect(hub.frames(0).filter((f) => f.type === "csm_decision")).toEqual([{ type: "csm_decision", decision, csm_seq: 2 }]);
  claude.finish(0);
  await done;
});

test("after each hello the bridge reports the tool requests claude still waits on, and only those", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  expect(hub.reports(0)).toEqual([[]]);
  const ask = (id: string) => ({ type: "control_request", request_id: id, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: `touch ${id}` } } });
  claude.say(ask("r1"));
  claude.say(ask("r2"));
  claude.say(ask("r3"));
  claude.say({ type: "control_cancel_request", request_id: "r3" });
  await tick();
  // The hub answers r1; then the hub goes away and a new one says hello.
  const answer = { type: "control_response", response: { subtype: "success", request_id: "r1", response: { behavior: "allow", updatedInput: {} } }, csm_out: "o1" };
  hub.sockets[0]!.handlers.message(`${JSON.stringify(answer)}\n`);
  hub.sockets[0]!.handlers.close();
  await Bun.sleep(20);
  hub.hello(1, 0);
  // Every unacknowledged frame first, then the report, so the hub's state is complete when it reads it.
  const sent = hub.sockets[1]!.sent.map((line) => JSON.parse(line).type);
  expect(sent.at(-1)).toBe("csm_open_requests");
  expect(hub.reports(1).map((requests) => requests.map((r) => r.request_id))).toEqual([["r2"]]);
  claude.finish(0);
  await done;
});

test("a second answer to a tool request (from a hub that restarted before hearing of the first), or one to a withdrawn request, never reaches claude", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  const ask = (id: string) => ({ type: "control_request", request_id: id, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: `touch ${id}` } } });
  const answer = (id: string, behavior: "allow" | "deny", out: string) =>
    `${JSON.stringify({ type: "control_response", response: { subtype: "success", request_id: id, response: behavior === "allow" ? { behavior, updatedInput: {} } : { behavior, message: "no" } }, csm_out: out })}\n`;
  claude.say(ask("r1"));
  claude.say(ask("r2"));
  await tick();
  hub.sockets[0]!.handlers.message(answer("r1", "allow", "o1"));
  hub.sockets[0]!.handlers.close();
  await Bun.sleep(20);
  hub.hello(1, 0);
  // The new hub never heard of the allow: its deny gets a new delivery id.
  hub.sockets[1]!.handlers.message(answer("r1", "deny", "o2"));
  claude.say({ type: "control_cancel_request", request_id: "r2" });
  await tick();
  hub.sockets[1]!.handlers.message(answer("r2", "allow", "o3"));
  // An answer to a request csm does not serve (not a tool request) still goes through.
  hub.sockets[1]!.handlers.message(`${JSON.stringify({ type: "control_response", response: { subtype: "error", request_id: "hook-1", error: "csm does not handle this request" }, csm_out: "o4" })}\n`);
  const answers = claude.written.map((line) => JSON.parse(line) as { response?: { request_id: string; response?: { behavior: string } } }).filter((m) => m.response);
  expect(answers.map((m) => [m.response!.request_id, m.response!.response?.behavior ?? "error"])).toEqual([
    ["r1", "allow"],
    ["hook-1", "error"],
  ]);
  const refused = hub.frames(1).filter((f) => f.type === "csm_undeliverable");
  expect(refused.map((f) => [f.out, f.reason])).toEqual([
    ["o2", "claude no longer waits on request r1: it was answered already, or withdrawn"],
    ["o3", "claude no longer waits on request r2: it was answered already, or withdrawn"],
  ]);
  claude.finish(0);
  await done;
});

test("the decision an answer carries is never given to claude, and goes back to the hub in the report of what claude got", async () => {
  const claude = fakeClaude();
  const hub = fakeHub();
  const done = runBridge({ ...spec, prompt: undefined }, { spawnClaude: () => claude.process, connect: hub.connect, print: () => {}, typed: null, palette: plain, sleep: (ms) => Bun.sleep(Math.min(ms, 5)), flushTimeoutMs: 50, ...noHooks });
  await tick();
  hub.hello(0, 0);
  claude.say({ type: "control_request", request_id: "r1", request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "ls" } } });
  await tick();
  const decision = { event: "decision", requestId: "r1", action: "allow", by: "person" };
  hub.sockets[0]!.handlers.message(`${JSON.stringify({ type: "control_response", response: { subtype: "success", request_id: "r1", response: { behavior: "allow", updatedInput: {} } }, csm_out: "o1", csm_decision: decision })}\n`);
  expect(claude.written.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
    { type: "control_response", response: { subtype: "success", request_id: "r1", response: { behavior: "allow", updatedInput: {} } } },
  ]);
  const report = hub.frames(0).find((f) => f.type === "csm_sent")!;
  expect(report).toMatchObject({ out: "o1", message: { type: "control_response", csm_decision: decision } });
  claude.finish(0);
  await done;
});
