import { expect, test, setDefaultTimeout } from "bun:test";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint, connectPeer as connect } from "../helpers/sdk-peer.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The sdk-url transport, with a WebSocket client that behaves as claude ≤ 2.1.120 does
// (claude-code.md §2): the hub speaks first, frames are NDJSON lines, a reconnecting
// claude replays what it sent (by uuid), and the hub ends a session with close code 4001.

const turn = (id: string) => [
  { type: "system", subtype: "init", uuid: `${id}-init`, session_id: "sdk-session", model: "claude-old", cwd: "/w", tools: [], permissionMode: "default", claude_code_version: "2.1.120" },
  { type: "assistant", uuid: `${id}-a`, session_id: "sdk-session", parent_tool_use_id: null, message: { id: "m1", model: "claude-old", role: "assistant", content: [{ type: "text", text: `reply ${id}` }], stop_reason: "end_turn" } },
  { type: "result", uuid: `${id}-r`, session_id: "sdk-session", subtype: "success", is_error: false, num_turns: 1, total_cost_usd: 0.02, result: `reply ${id}`, terminal_reason: "completed" },
];

test("sdk-url: auth, the hub speaks first, replays are de-duplicated, approvals, 4001 on kill", async () => {
  await using live = await makeLiveSandbox();
  // The pane runs the stand-in; this test's WebSocket client plays claude.
  await live.sb.csm(["create", "old", "--repo", live.repo, "--transport", "sdk-url", "--prompt", "hello old claude"]);
  const { url, secret, port } = await agentEndpoint(live.sb, "old");

  expect(await connect(url, null).opened).toBe(false);
  expect(await connect(url, "0".repeat(64)).opened).toBe(false);
  expect(await connect(`ws://127.0.0.1:${port}/ws/agent/nobody`, secret).opened).toBe(false);

  const claude = connect(url, secret);
  expect(await claude.opened).toBe(true);
  await live.sb.waitFor(() => claude.frames.length > 0, { what: "the hub's first message" });
  expect(claude.frames[0]!.endsWith("\n")).toBe(true);
  expect(JSON.parse(claude.frames[0]!)).toMatchObject({ type: "user", message: { role: "user", content: "hello old claude" } });

  claude.send(...turn("t1"));
  const idle = await live.waitForSession("old", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle).toMatchObject({ transport: "sdk-url", lastMessage: "reply t1", costUsd: 0.02, model: "claude-old" });

  // The connection drops; claude reconnects and replays everything with a uuid.
  claude.socket.close(1001);
  await claude.closed;
  const again = connect(url, secret);
  expect(await again.opened).toBe(true);
  again.send(...turn("t1"));
  await Bun.sleep(200);
  const afterReplay = await live.session("old");
  expect(afterReplay.turns).toBe(1);
  expect(again.frames).toEqual([]); // the first prompt is not sent a second time
  const events = (await live.api<{ data: { uuid?: string } }[]>("GET", "/api/sessions/old/events")).body;
  expect(events.filter((e) => e.data.uuid === "t1-r")).toHaveLength(1);

  again.send({ type: "control_request", request_id: "req-1", request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "touch x" }, tool_use_id: "tu1" } });
  await live.waitForSession("old", "waiting", (s) => s.status === "waiting");
  await live.api("POST", "/api/sessions/old/approve-tool", { requestId: "req-1", action: "allow" });
  await live.sb.waitFor(() => again.frames.length > 0, { what: "the answer to claude" });
  expect(JSON.parse(again.frames[0]!)).toEqual({
    type: "control_response",
    response: { subtype: "success", request_id: "req-1", response: { behavior: "allow", updatedInput: { command: "touch x" } } },
  });

  expect(await live.sb.csm(["kill", "old", "--force"])).toMatchObject({ code: 0 });
  expect(await again.closed).toBe(4001);
});
