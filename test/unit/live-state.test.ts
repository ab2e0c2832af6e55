import { expect, test } from "bun:test";
import { applyClaudeMessage, applyLinkEvent, applySent, costUsd, initialLiveState, type LiveState } from "../../src/core/live/live-state.ts";
import { withLive } from "../../src/core/live/live-view.ts";
import type { SessionView } from "../../src/core/sessions/session-view.ts";
import type { ClaudeToCsm } from "../../src/link/protocol.ts";
import { allowResponse, userMessage } from "../../src/link/protocol.ts";

const at = "2026-11-21T00:00:00.000Z";
const init = { type: "system", subtype: "init", session_id: "S1", uuid: "u1", model: "claude-opus-5-5", cwd: "/w", tools: [], permissionMode: "default", claude_code_version: "2.1.330" } as unknown as ClaudeToCsm;
const assistant = (text: string) =>
  ({ type: "assistant", session_id: "S1", uuid: crypto.randomUUID(), parent_tool_use_id: null, message: { id: "m", model: "claude-opus-5-5", role: "assistant", content: [{ type: "text", text }], stop_reason: null } }) as unknown as ClaudeToCsm;
const result = (total: number, extra: Record<string, unknown> = {}) =>
  ({ type: "result", subtype: "success", is_error: false, num_turns: 1, total_cost_usd: total, session_id: "S1", uuid: crypto.randomUUID(), result: "final words", terminal_reason: "completed", ...extra }) as unknown as ClaudeToCsm;
const toolRequest = (id: string) =>
  ({ type: "control_request", request_id: id, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "touch x" }, tool_use_id: `t-${id}`, permission_suggestions: [] } }) as unknown as ClaudeToCsm;

const fold = (state: LiveState, ...steps: ((s: LiveState) => LiveState)[]) => steps.reduce((s, step) => step(s), state);
const claude = (m: ClaudeToCsm) => (s: LiveState) => applyClaudeMessage(s, m, at);

test("a new session starts, works on its prompt, and is idle with the reply", () => {
  const started = applyLinkEvent(initialLiveState(), { event: "claude_started", pid: 1 }, at);
  expect(started.status).toBe("idle");
  const working = applySent(started, userMessage("hi"), at);
  expect(working.status).toBe("working");
  const done = fold(working, claude(init), claude(assistant("hello")), claude(result(0.01)));
  expect(done).toMatchObject({ status: "idle", turns: 1, claudeSessionId: "S1", model: "claude-opus-5-5", lastMessage: "final words" });
  expect(costUsd(done)).toBeCloseTo(0.01);
});

test("several pending requests: waiting until each is answered or withdrawn by its own id", () => {
  let state = fold(initialLiveState(), claude(init), claude(toolRequest("A")), claude(toolRequest("B")));
  expect(state.status).toBe("waiting");
  expect(state.pending.map((p) => p.requestId)).toEqual(["A", "B"]);
  state = applySent(state, allowResponse("B", { command: "touch x" }), at);
  expect(state.pending.map((p) => p.requestId)).toEqual(["A"]);
  expect(state.status).toBe("waiting");
  state = applyClaudeMessage(state, { type: "control_cancel_request", request_id: "A" } as ClaudeToCsm, at);
  expect(state).toMatchObject({ status: "working", pending: [] });
});

test("a request the bridge reports claude no longer waits on is dropped, the others stay", () => {
  let state = fold(initialLiveState(), claude(init), claude(toolRequest("A")), claude(toolRequest("B")));
  state = applyLinkEvent(state, { event: "request_withdrawn", requestId: "A", reason: "claude is no longer waiting for it" }, at);
  expect(state.status).toBe("waiting");
  expect(state.pending.map((p) => p.requestId)).toEqual(["B"]);
  state = applyLinkEvent(state, { event: "request_withdrawn", requestId: "B", reason: "gone" }, at);
  expect(state).toMatchObject({ status: "working", pending: [] });
});

test("a replayed request is not pending twice", () => {
  const state = fold(initialLiveState(), claude(toolRequest("A")), claude(toolRequest("A")));
  expect(state.pending).toHaveLength(1);
});

test("cost is claude's per-process total, never added twice, and survives a new process", () => {
  let state = fold(initialLiveState(), claude(result(0.01)), claude(result(0.03)));
  expect(costUsd(state)).toBeCloseTo(0.03);
  state = applyLinkEvent(state, { event: "claude_started" }, at);
  state = fold(state, claude(result(0.005)));
  expect(costUsd(state)).toBeCloseTo(0.035);
  expect(state.turns).toBe(3);
});

test("claude exiting makes the session dead with the reason, and drops pending requests", () => {
  const state = fold(initialLiveState(), claude(toolRequest("A")));
  expect(applyLinkEvent(state, { event: "claude_exited", code: 1 }, at)).toMatchObject({ status: "dead", statusReason: "claude exited with status 1", pending: [] });
  expect(applyLinkEvent(state, { event: "claude_exited", code: null, signal: "SIGKILL" }, at).statusReason).toBe("claude was killed by SIGKILL");
});

test("a dead session stays dead until a new claude starts", () => {
  const dead = applyLinkEvent(initialLiveState(), { event: "gone", reason: "tmux session csm-a is gone" }, at);
  expect(fold(dead, claude(assistant("late"))).status).toBe("dead");
  expect(applyLinkEvent(dead, { event: "claude_started" }, at).status).toBe("idle");
});

test("an API failure ends the turn idle, with the reason", () => {
  const state = fold(initialLiveState(), claude(result(0, { is_error: true, terminal_reason: "api_error" })));
  expect(state).toMatchObject({ status: "idle", statusReason: "last turn ended in an error (api_error)" });
});

test("synthetic error messages do not overwrite the model", () => {
  const synthetic = { ...(assistant("API Error") as object), message: { id: "x", model: "<synthetic>", role: "assistant", content: [{ type: "text", text: "API Error" }], stop_reason: null } } as unknown as ClaudeToCsm;
  expect(fold(initialLiveState(), claude(init), claude(synthetic)).model).toBe("claude-opus-5-5");
});

test("the end of a turn leaves nothing pending (an interrupt or a stopping deny ends it)", () => {
  const state = fold(initialLiveState(), claude(toolRequest("A")), claude(toolRequest("B")), claude(result(0.01, { subtype: "error_during_execution", is_error: true, terminal_reason: "aborted_tools" })));
  expect(state).toMatchObject({ status: "idle", pending: [] });
});

test("link events the state does not know about leave it as it is", () => {
  const state = fold(initialLiveState(), claude(init));
  for (const event of ["favourite", "protocol_error", "unknown_frame", "hub_error", "something_new"]) {
    expect(applyLinkEvent(state, { event }, at)).toBe(state);
  }
});

test("claude's init tells its permission mode; a mode that runs tools unasked makes the session unguarded", () => {
  const view = { name: "s", host: "local", status: "working", statusReason: null } as unknown as SessionView;
  expect(initialLiveState().permissionMode).toBeNull();
  expect(withLive(view, initialLiveState(), "bridge", null)).toMatchObject({ permissionMode: null, guarded: true });
  expect(withLive(view, null, null, null)).toMatchObject({ permissionMode: null, guarded: true });

  const asking = fold(initialLiveState(), claude(init));
  expect(asking.permissionMode).toBe("default");
  expect(withLive(view, asking, "bridge", null).guarded).toBe(true);
  for (const mode of ["bypassPermissions", "acceptEdits", "auto"]) {
    const state = applyClaudeMessage(asking, { ...init, permissionMode: mode } as ClaudeToCsm, at);
    expect(withLive(view, state, "bridge", null)).toMatchObject({ permissionMode: mode, guarded: false });
  }
  for (const mode of ["plan", "dontAsk"]) {
    const state = applyClaudeMessage(asking, { ...init, permissionMode: mode } as ClaudeToCsm, at);
    expect(withLive(view, state, "bridge", null)).toMatchObject({ permissionMode: mode, guarded: true });
  }
});

test("a permission mode changed within the process (system/status) is followed", () => {
  let state = fold(initialLiveState(), claude(init));
  expect(state.permissionMode).toBe("default");
  state = applyClaudeMessage(state, { type: "system", subtype: "status", status: null, permissionMode: "bypassPermissions" } as unknown as ClaudeToCsm, at);
  expect(state.permissionMode).toBe("bypassPermissions");
  state = applyClaudeMessage(state, { type: "system", subtype: "status", status: "compacting" } as unknown as ClaudeToCsm, at);
  expect(state.permissionMode).toBe("bypassPermissions");
});
