import { expect, test } from "bun:test";
import { runNative, type ClaudeStatus, type NativeDeps } from "../../src/link/native.ts";
import { plain } from "../../src/link/render.ts";
import { launchSpec } from "../helpers/launch-spec.ts";
import { scriptedHub } from "../helpers/scripted-hub.ts";

// The native supervisor's bookkeeping with a scripted hub socket, a scripted claude (its
// hooks called directly, its status file and transcript in memory): what reaches the hub,
// what the hooks answer, what is typed into claude's input.

function fakeHub() {
  const hub = scriptedHub();
  const every = () => hub.sockets.flatMap((_, i) => hub.all(i));
  const frames = () => every().filter((f) => f.type !== "csm_open_requests");
  const reports = () => every().filter((f) => f.type === "csm_open_requests");
  return { sockets: hub.sockets, connect: hub.connect, frames, reports, say: hub.say, hello: (lastSeq: number) => hub.hello(hub.sockets.length - 1, lastSeq) };
}

function fakeClaudeWorld() {
  let exit!: (result: { code: number | null; signal: string | null }) => void;
  const transcript: string[] = [];
  const state = { status: null as ClaudeStatus | null, cost: null as number | null, argv: [] as string[], typed: [] as string[], escapes: 0 };
  let hook!: (payload: unknown) => Promise<Record<string, unknown>>;
  const hub = fakeHub();
  const bytes = () => new TextEncoder().encode(transcript.join(""));
  const deps: NativeDeps = {
    connect: hub.connect,
    print: () => {},
    palette: plain,
    sleep: (ms) => Bun.sleep(Math.min(ms, 5)),
    spawnClaude: (argv) => {
      state.argv = argv;
      return { pid: 4242, exited: new Promise((resolve) => (exit = resolve)) };
    },
    serveHooks: async (answer) => {
      hook = answer;
      return { env: { CSM_HOOK_SECRET: "s" }, stop() {} };
    },
    judgeToolUse: async (call) =>
      call.toolName === "Read"
        ? { kind: "deny", decision: { event: "decision", requestId: call.toolUseId ?? "", toolName: "Read", action: "deny", by: "rule", via: "PreToolUse", ruleIndex: 0, rule: { tool: "Read", action: "deny" }, reason: "no", message: "no" } as never }
        : { kind: "pass" },
    typeText: async (text) => void state.typed.push(text),
    pressEscape: async () => void state.escapes++,
    claudeStatus: () => state.status,
    costUsd: () => state.cost,
    readFrom: (_path, offset) => {
      const all = bytes();
      return all.length > offset ? all.subarray(offset) : null;
    },
    fileSize: () => 0,
    transcriptPath: "/c/projects/-w/id.jsonl",
    flushTimeoutMs: 50,
    pollMs: 5,
    promptConfirmMs: 200,
  };
  const payload = (name: string, fields: object = {}) => ({ session_id: "id", transcript_path: "/c/projects/-w/id.jsonl", cwd: "/w", permission_mode: "default", hook_event_name: name, ...fields });
  return {
    deps,
    hub,
    state,
    transcript,
    exit: (code: number | null, signal: string | null = null) => exit({ code, signal }),
    hook: (name: string, fields?: object) => hook(payload(name, fields)),
    events: () => hub.frames().filter((f) => f.type === "csm_bridge").map((f) => (f.event as { event: string }).event),
  };
}

const spec = launchSpec({ prompt: "first", agentUrl: "ws://x/ws/agent/s", argv: ["claude", "--session-id", "id", "--settings", "/s.json"] });
const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await Bun.sleep(5);
  if (!check()) throw new Error(`never: ${what}`);
};

/** A supervisor with no first prompt, linked, and claude ready (its status file says idle). */
async function readyNative() {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  world.state.status = { status: "idle", updatedAt: Date.now(), waitingFor: null };
  await until("ready", () => world.events().includes("native_ready"));
  return { world, done };
}

test("a short first prompt goes on claude's command line; ready once claude's status file says so", async () => {
  const world = fakeClaudeWorld();
  const done = runNative(spec, world.deps);
  await until("claude started", () => world.state.argv.length > 0);
  expect(world.state.argv).toEqual(["claude", "--session-id", "id", "--settings", "/s.json", "first"]);
  world.hub.hello(0);
  await until("started reported", () => world.events().includes("claude_started"));
  expect(world.events()).not.toContain("native_ready");
  world.state.status = { status: "idle", updatedAt: Date.now(), waitingFor: null };
  await until("ready", () => world.events().includes("native_ready"));
  world.exit(0);
  expect(await done).toBe(0);
  expect(world.events().at(-1)).toBe("claude_exited");
});

test("a first prompt that looks like a flag is typed once claude is ready, never put in argv", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: "--help me" }, world.deps);
  await until("claude started", () => world.state.argv.length > 0);
  expect(world.state.argv).not.toContain("--help me");
  await Bun.sleep(30);
  expect(world.state.typed).toEqual([]);
  world.state.status = { status: "idle", updatedAt: Date.now(), waitingFor: null };
  await until("typed", () => world.state.typed.length === 1);
  expect(world.state.typed).toEqual(["--help me"]);
  world.exit(0);
  await done;
});

test("a PermissionRequest waits for csm's answer and becomes the hook's answer; the tool_use_id comes from its PreToolUse", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  const input = { command: "touch x", description: "touch it" };
  expect(await world.hook("PreToolUse", { tool_name: "Bash", tool_input: input, tool_use_id: "toolu_1" })).toEqual({});
  let answered: Record<string, unknown> | null = null;
  void world.hook("PermissionRequest", { tool_name: "Bash", tool_input: input, permission_suggestions: [] }).then((body) => (answered = body));
  await until("request relayed", () => world.hub.frames().some((f) => f.type === "control_request"));
  const request = world.hub.frames().find((f) => f.type === "control_request") as { request_id: string; request: Record<string, unknown> };
  expect(request.request).toMatchObject({ subtype: "can_use_tool", tool_name: "Bash", input, tool_use_id: "toolu_1", description: "touch it" });
  await Bun.sleep(20);
  expect(answered).toBeNull();

  world.hub.say({ type: "control_response", response: { subtype: "success", request_id: request.request_id, response: { behavior: "allow", updatedInput: input } }, csm_out: "o1" });
  await until("hook answered", () => answered !== null);
  expect(answered!).toEqual({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow", updatedInput: input } } });
  await until("delivery confirmed", () => world.hub.frames().some((f) => f.type === "csm_sent" && f.out === "o1"));
  world.exit(0);
  await done;
});

test("answered on claude's screen first: PostToolUse withdraws it, and csm's late answer is refused", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  const input = { command: "touch y" };
  await world.hook("PreToolUse", { tool_name: "Bash", tool_input: input, tool_use_id: "toolu_2" });
  let answered: Record<string, unknown> | null = null;
  void world.hook("PermissionRequest", { tool_name: "Bash", tool_input: input }).then((body) => (answered = body));
  await until("request relayed", () => world.hub.frames().some((f) => f.type === "control_request"));
  const { request_id } = world.hub.frames().find((f) => f.type === "control_request") as { request_id: string };

  await world.hook("PostToolUse", { tool_name: "Bash", tool_input: input, tool_use_id: "toolu_2" });
  expect(answered!).toEqual({});
  expect(world.hub.frames().find((f) => f.type === "csm_decision")).toMatchObject({ decision: { requestId: request_id, by: "screen", action: "allow" } });

  world.hub.say({ type: "control_response", response: { subtype: "success", request_id, response: { behavior: "allow", updatedInput: input } }, csm_out: "late" });
  await until("refused", () => world.hub.frames().some((f) => f.type === "csm_undeliverable"));
  expect(world.hub.frames().find((f) => f.type === "csm_undeliverable")).toMatchObject({ out: "late", reason: expect.stringContaining("already answered") });
  world.exit(0);
  await done;
});

test("a hub that relinks is told which requests still wait; a deny rule holds at PreToolUse", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  const denied = await world.hook("PreToolUse", { tool_name: "Read", tool_input: { file_path: "/etc/shadow" }, tool_use_id: "toolu_r" });
  expect(denied).toMatchObject({ hookSpecificOutput: { permissionDecision: "deny" } });
  void world.hook("PermissionRequest", { tool_name: "Bash", tool_input: { command: "ls" } });
  await until("request relayed", () => world.hub.frames().some((f) => f.type === "control_request"));
  world.hub.sockets[0]!.handlers.close();
  await until("reconnected", () => world.hub.sockets.length === 2);
  world.hub.hello(0);
  await until("report", () => world.hub.reports().length === 2);
  expect(world.hub.reports()[1]!.requests).toEqual([expect.objectContaining({ type: "control_request", request: expect.objectContaining({ tool_name: "Bash" }) })]);
  world.exit(0);
  await done;
});

test("Stop ends the turn with claude's last message, after the transcript's reply; cost is claude's own; an Esc (no hook) shows as idle from the status file", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  world.state.cost = 0.25;
  world.transcript.push(`${JSON.stringify({ type: "assistant", uuid: "u1", sessionId: "id", message: { model: "claude-x", role: "assistant", content: [{ type: "text", text: "hi" }] } })}\n`);
  await world.hook("UserPromptSubmit", { prompt: "hello" });
  await world.hook("Stop", { last_assistant_message: "hi" });
  const frames = world.hub.frames();
  const assistant = frames.findIndex((f) => f.type === "assistant");
  const result = frames.findIndex((f) => f.type === "result");
  expect(assistant).toBeGreaterThanOrEqual(0);
  expect(assistant).toBeLessThan(result);
  expect(frames[assistant]).toMatchObject({ csm_from_transcript: true, message: { model: "claude-x" } });
  expect(frames[result]).toMatchObject({ result: "hi", session_id: "id" });
  // claude's own figure, from its statusLine input: never summed per turn.
  await until("cost", () => world.hub.frames().some((f) => f.type === "csm_bridge" && (f.event as { event: string; processCostUsd?: number }).processCostUsd === 0.25));

  await world.hook("UserPromptSubmit", { prompt: "long job" });
  await Bun.sleep(2);
  world.state.status = { status: "idle", updatedAt: Date.now() + 1, waitingFor: null };
  await until("interrupt seen", () => world.hub.frames().some((f) => f.type === "csm_bridge" && (f.event as { status?: string; reason?: string }).reason === "interrupted"));
  world.exit(null, "SIGKILL");
  expect(await done).toBe(1);
  expect(world.hub.frames().at(-1)).toMatchObject({ event: { event: "claude_exited", code: null, signal: "SIGKILL" } });
});

test("a message is typed and confirmed by UserPromptSubmit; interrupt is Esc; rename is /rename on one line", async () => {
  const { world, done } = await readyNative();

  world.hub.say({ type: "user", message: { role: "user", content: "two\nlines" }, csm_out: "m1" });
  await until("typed", () => world.state.typed.length === 1);
  expect(world.hub.frames().some((f) => f.out === "m1")).toBe(false);
  await world.hook("UserPromptSubmit", { prompt: "two\nlines" });
  await until("confirmed", () => world.hub.frames().some((f) => f.type === "csm_sent" && f.out === "m1"));
  await world.hook("Stop", { last_assistant_message: "ok" });

  world.hub.say({ type: "user", message: { role: "user", content: "ignored" }, csm_out: "m2" });
  await until("unconfirmed refused", () => world.hub.frames().some((f) => f.type === "csm_undeliverable" && f.out === "m2"));

  world.hub.say({ type: "control_request", request_id: "r", request: { subtype: "interrupt" }, csm_out: "i1" });
  await until("escape", () => world.state.escapes === 1);
  world.hub.say({ type: "control_request", request_id: "r2", request: { subtype: "rename_session", title: "a\nnew\u001b title" }, csm_out: "n1" });
  await until("renamed", () => world.state.typed.length === 3);
  expect(world.state.typed[2]).toBe("/rename a new\u241b title");
  world.hub.say({ type: "control_request", request_id: "r3", request: { subtype: "set_permission_mode", mode: "plan" }, csm_out: "p1" });
  await until("refused", () => world.hub.frames().some((f) => f.type === "csm_undeliverable" && f.out === "p1"));
  world.exit(0);
  await done;
});

test("a reply claude writes to its transcript just after its Stop hook still comes before the turn's end", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  await world.hook("UserPromptSubmit", { prompt: "hello" });
  setTimeout(() => world.transcript.push(`${JSON.stringify({ type: "assistant", uuid: "u9", sessionId: "id", message: { model: "m", content: [{ type: "text", text: "late reply" }] } })}\n`), 60);
  await world.hook("Stop", { last_assistant_message: "late reply" });
  const types = world.hub.frames().map((f) => f.type);
  expect(types.indexOf("assistant")).toBeGreaterThanOrEqual(0);
  expect(types.indexOf("assistant")).toBeLessThan(types.indexOf("result"));
  world.exit(0);
  await done;
});

test("the first prompt is logged as sent by csm, and its echo in the transcript is not forwarded again", async () => {
  const world = fakeClaudeWorld();
  const done = runNative(spec, world.deps);
  world.hub.hello(0);
  await until("claude started", () => world.state.argv.length > 0);
  world.transcript.push(`${JSON.stringify({ type: "user", uuid: "p1", sessionId: "id", message: { role: "user", content: "first" } })}\n`);
  world.transcript.push(`${JSON.stringify({ type: "user", uuid: "p2", sessionId: "id", message: { role: "user", content: "typed by a person" } })}\n`);
  await world.hook("UserPromptSubmit", { prompt: "first" });
  const frames = world.hub.frames();
  expect(frames.filter((f) => f.type === "csm_sent")).toEqual([expect.objectContaining({ message: { type: "user", message: { role: "user", content: "first" }, parent_tool_use_id: null, session_id: "" } })]);
  expect(frames.filter((f) => f.type === "user").map((f) => (f.message as { content: string }).content)).toEqual(["typed by a person"]);
  world.exit(0);
  await done;
});

// Waits out SILENT_HOOK_MS (3 s) for real: too close to bun's 5 s default on a loaded machine.
test("hooks that went silent: claude's status file shows the state after a while, and says it is the fallback", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, { ...world.deps, pollMs: 20 });
  world.hub.hello(0);
  world.state.status = { status: "idle", updatedAt: Date.now(), waitingFor: null };
  await until("ready", () => world.events().includes("native_ready"));
  world.state.status = { status: "waiting", updatedAt: Date.now() + 1, waitingFor: "permission prompt" };
  const fallback = () => world.hub.frames().find((f) => f.type === "csm_bridge" && (f.event as { reason?: string }).reason?.includes("from claude's status file"));
  await Bun.sleep(300);
  expect(fallback()).toBeUndefined();
  for (let i = 0; i < 250 && !fallback(); i++) await Bun.sleep(20);
  expect(fallback()!.event).toMatchObject({ status: "waiting", reason: expect.stringContaining("permission prompt") });
  world.state.status = { status: "idle", updatedAt: Date.now() + 2, waitingFor: null };
  await until("back", () => (world.hub.frames().at(-1)?.event as { status?: string; reason?: string | null })?.reason === null);
  world.exit(0);
  await done;
}, 15_000);

test("nothing is typed while claude shows a dialog: a message, a rename would answer it", async () => {
  const { world, done } = await readyNative();
  void world.hook("PermissionRequest", { tool_name: "Bash", tool_input: { command: "rm -rf x" } });
  await until("request relayed", () => world.hub.frames().some((f) => f.type === "control_request"));
  world.hub.say({ type: "user", message: { role: "user", content: "1" }, csm_out: "m1" });
  world.hub.say({ type: "control_request", request_id: "r", request: { subtype: "rename_session", title: "x" }, csm_out: "n1" });
  await until("both refused", () => world.hub.frames().filter((f) => f.type === "csm_undeliverable").length === 2);
  expect(world.state.typed).toEqual([]);
  // A dialog no hook reported (claude's status file says so) holds typing back too.
  world.hub.say({ type: "control_response", response: { subtype: "success", request_id: (world.hub.frames().find((f) => f.type === "control_request") as { request_id: string }).request_id, response: { behavior: "deny", message: "no" } }, csm_out: "a1" });
  await until("answered", () => world.hub.frames().some((f) => f.type === "csm_sent" && f.out === "a1"));
  world.state.status = { status: "waiting", updatedAt: Date.now(), waitingFor: "plan approval" };
  world.hub.say({ type: "user", message: { role: "user", content: "go on" }, csm_out: "m2" });
  await until("refused", () => world.hub.frames().some((f) => f.type === "csm_undeliverable" && f.out === "m2"));
  expect(world.state.typed).toEqual([]);
  world.exit(0);
  await done;
});

test("/clear: the hooks name a new conversation; it is reported, its turns carry its id, and its SessionEnd is no death", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, world.deps);
  world.hub.hello(0);
  await world.hook("UserPromptSubmit", { prompt: "one" });
  await world.hook("Stop", { last_assistant_message: "first" });
  await world.hook("SessionEnd", { reason: "clear" });
  await world.hook("UserPromptSubmit", { prompt: "two", session_id: "id-2", transcript_path: "/c/projects/-w/id-2.jsonl" });
  await world.hook("Stop", { last_assistant_message: "second", session_id: "id-2", transcript_path: "/c/projects/-w/id-2.jsonl" });
  const frames = world.hub.frames();
  expect(frames.filter((f) => f.type === "csm_bridge" && (f.event as { event: string }).event === "conversation")).toEqual([expect.objectContaining({ event: { event: "conversation", claudeSessionId: "id-2" } })]);
  expect(frames.filter((f) => f.type === "result").map((f) => f.session_id)).toEqual(["id", "id-2"]);
  world.exit(0);
  await done;
  expect(world.hub.frames().at(-1)).toMatchObject({ event: { event: "claude_exited", code: 0 } });
  expect((world.hub.frames().at(-1)!.event as { sessionEnd?: string }).sessionEnd).toBeUndefined();
});

test("a message while claude never gets ready (a startup dialog) is refused within the hub's time, nothing typed; a hook's answer never waits behind it", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, { ...world.deps, readyWaitMs: 150, deliveryBudgetMs: 600 });
  world.hub.hello(0);
  world.hub.say({ type: "user", message: { role: "user", content: "fix the bug" }, csm_out: "m1" });
  await Bun.sleep(20);
  // A hook claude calls meanwhile (its status file not written yet), answered while the message waits.
  const answered = world.hook("PermissionRequest", { tool_name: "Bash", tool_input: { command: "make" } });
  await until("request relayed", () => world.hub.frames().some((f) => f.type === "control_request"));
  const requestId = (world.hub.frames().find((f) => f.type === "control_request") as { request_id: string }).request_id;
  world.hub.say({ type: "control_response", response: { subtype: "success", request_id: requestId, response: { behavior: "allow", updatedInput: {} } }, csm_out: "a1" });
  expect(await answered).toMatchObject({ hookSpecificOutput: { decision: { behavior: "allow" } } });
  await until("refused", () => world.hub.frames().some((f) => f.type === "csm_undeliverable" && f.out === "m1"));
  expect(String(world.hub.frames().find((f) => f.out === "m1")!.reason)).toContain("has not finished starting");
  expect(world.state.typed).toEqual([]);
  world.exit(0);
  await done;
});

test("a message that waited for claude's start while claude took its first prompt is typed as queued, not refused", async () => {
  const world = fakeClaudeWorld();
  const done = runNative({ ...spec, prompt: undefined }, { ...world.deps, readyWaitMs: 1000, deliveryBudgetMs: 2000 });
  world.hub.hello(0);
  world.hub.say({ type: "user", message: { role: "user", content: "and then this" }, csm_out: "m1" });
  await Bun.sleep(20);
  await world.hook("UserPromptSubmit", { prompt: "the first prompt" });
  world.state.status = { status: "busy", updatedAt: Date.now(), waitingFor: null };
  await until("sent", () => world.hub.frames().some((f) => f.type === "csm_sent" && f.out === "m1"));
  expect(world.hub.frames().find((f) => f.type === "csm_sent" && f.out === "m1")).toMatchObject({ queued: true });
  expect(world.state.typed).toEqual(["and then this"]);
  world.exit(0);
  await done;
});

test("a slash command is typed and sent without waiting for a prompt claude never reports", async () => {
  const { world, done } = await readyNative();
  world.hub.say({ type: "user", message: { role: "user", content: "/cost" }, csm_out: "c1" });
  await until("sent", () => world.hub.frames().some((f) => f.type === "csm_sent" && f.out === "c1"));
  expect(world.state.typed).toEqual(["/cost"]);
  world.exit(0);
  await done;
});

test("a long first prompt and a message sent before claude is ready are typed one after the other, each whole", async () => {
  const world = fakeClaudeWorld();
  const long = `-${"x".repeat(40)}`;
  const done = runNative({ ...spec, prompt: long }, world.deps);
  world.hub.hello(0);
  world.hub.say({ type: "user", message: { role: "user", content: "second" }, csm_out: "m1" });
  await Bun.sleep(20);
  world.state.status = { status: "idle", updatedAt: Date.now(), waitingFor: null };
  await until("first typed", () => world.state.typed.length === 1);
  expect(world.state.typed).toEqual([long]);
  await world.hook("UserPromptSubmit", { prompt: long });
  await world.hook("Stop", { last_assistant_message: "done" });
  await until("second typed", () => world.state.typed.length === 2);
  expect(world.state.typed[1]).toBe("second");
  world.exit(0);
  await done;
});

test("a typed prompt's echo is known in claude's form (trimmed, tabs as spaces): logged once", async () => {
  const { world, done } = await readyNative();
  world.hub.say({ type: "user", message: { role: "user", content: "  tab\there  \n" }, csm_out: "m1" });
  await until("typed", () => world.state.typed.length === 1);
  await world.hook("UserPromptSubmit", { prompt: "tab    here" });
  world.transcript.push(`${JSON.stringify({ type: "user", uuid: "u1", message: { role: "user", content: "tab    here" } })}\n`);
  world.transcript.push(`${JSON.stringify({ type: "assistant", uuid: "a1", message: { role: "assistant", content: [{ type: "text", text: "ok" }] } })}\n`);
  await until("reply forwarded", () => world.hub.frames().some((f) => f.type === "assistant"));
  expect(world.hub.frames().filter((f) => f.type === "user")).toEqual([]);
  world.exit(0);
  await done;
});
