import { expect, test } from "bun:test";
import { foldEvent } from "../../src/core/live/fold-event.ts";
import { initialLiveState, type LiveState } from "../../src/core/live/live-state.ts";
import { claudeArgv } from "../../src/link/launch.ts";
import { permissionHookAnswer, readHookEvent } from "../../src/link/native-hooks.ts";
import { nativeHookSettings, statusLineCommand, userStatusLineCommand } from "../../src/link/native-settings.ts";
import { TranscriptTail } from "../../src/link/transcript-tail.ts";
import { oneLine, pasteableText } from "../../src/link/typed-text.ts";

// The pure parts of native sessions: typed text, the transcript tail, the settings file,
// claude's command line, hook payloads and answers, and the fold of the native events.

test("typed text: controls become visible symbols, so a paste can never end early or type keys", () => {
  expect(pasteableText("a\r\nb\rc\td")).toBe("a\nb\nc\td");
  expect(pasteableText("x\u001b[201~y\u001b[2J\u0003\u007f\u009b")).toBe("x\u241b[201~y\u241b[2J\u2403\u2421\ufffd");
  expect(pasteableText("ordinary ✓ text")).toBe("ordinary ✓ text");
  expect(oneLine("a\n  b\u001b")).toBe("a b\u241b");
});

test("the transcript tail reads only what was added, waits for a half-written line, forwards user and assistant records", () => {
  let file = "";
  const reads: number[] = [];
  const tail = new TranscriptTail("/t.jsonl", (_p, offset) => {
    reads.push(offset);
    const bytes = new TextEncoder().encode(file);
    return bytes.length > offset ? bytes.subarray(offset) : null;
  });
  const user = JSON.stringify({ type: "user", message: { content: "hi" } });
  const snapshot = JSON.stringify({ type: "file-history-snapshot" });
  const assistant = JSON.stringify({ type: "assistant", message: { content: [] } });
  file = `${user}\n${snapshot}\n${assistant.slice(0, 10)}`;
  expect(tail.poll().map((r) => r.type)).toEqual(["user"]);
  file += `${assistant.slice(10)}\n`;
  expect(tail.poll().map((r) => r.type)).toEqual(["assistant"]);
  expect(tail.poll()).toEqual([]);
  expect(reads[1]).toBe(new TextEncoder().encode(`${user}\n${snapshot}\n${assistant.slice(0, 10)}`).length);
  // Started at an offset (a resumed conversation): earlier records are not read at all.
  const resumed = new TranscriptTail("/t.jsonl", (_p, offset) => new TextEncoder().encode(file).subarray(offset), file.length);
  expect(resumed.poll()).toEqual([]);
});

test("settings: every hook goes to the supervisor with the secret from the environment; the PermissionRequest hook has no practical time limit", () => {
  const settings = nativeHookSettings("http://127.0.0.1:9/hooks/native", "CSM_HOOK_SECRET", { copyTo: "/state/hooks/s.status.json", userCommand: null }) as {
    hooks: Record<string, { hooks: { url: string; timeout: number; headers: Record<string, string>; allowedEnvVars: string[]; onFailure?: string }[] }[]>;
    statusLine: { command: string };
    disableAllHooks: boolean;
  };
  expect(settings.disableAllHooks).toBe(false);
  for (const event of ["PreToolUse", "PermissionRequest", "UserPromptSubmit", "PostToolUse", "Stop", "SessionEnd"]) {
    const hook = settings.hooks[event]![0]!.hooks[0]!;
    expect(hook).toMatchObject({ url: "http://127.0.0.1:9/hooks/native", headers: { Authorization: "Bearer $CSM_HOOK_SECRET" }, allowedEnvVars: ["CSM_HOOK_SECRET"] });
  }
  expect(settings.hooks.PermissionRequest![0]!.hooks[0]!.timeout).toBeGreaterThanOrEqual(24 * 3600);
  expect(settings.hooks.PreToolUse![0]!.hooks[0]!.onFailure).toBe("block");
  expect(settings.statusLine.command).toBe("cat > '/state/hooks/s.status.json'");
});

test("the statusLine keeps a copy and still feeds the user's own status line; a hostile path stays one quoted word", () => {
  expect(statusLineCommand("/s/x'; rm -rf ~; '.json", null)).toBe(`cat > '/s/x'\\''; rm -rf ~; '\\''.json'`);
  expect(statusLineCommand("/s/a.json", "my-line --fancy")).toBe("tee '/s/a.json' | { my-line --fancy\n}");
  expect(userStatusLineCommand([{ statusLine: { type: "command", command: "mine" } }, { model: "x" }])).toBe("mine");
  expect(userStatusLineCommand([{ statusLine: { command: "older" } }, { statusLine: { command: "newer" } }])).toBe("newer");
  expect(userStatusLineCommand([{}])).toBeNull();
});

test("claude's command line: manual permission mode unless the user chose one; no stream-json", () => {
  const base = { claudeBin: "claude", transport: "native" as const, claudeSessionId: "id", resume: false, agentUrl: "ws://x", hookSettingsFile: "/h.json" };
  expect(claudeArgv({ ...base, extraArgs: ["--model", "opus"] })).toEqual(["claude", "--session-id", "id", "--settings", "/h.json", "--permission-mode", "default", "--model", "opus"]);
  expect(claudeArgv({ ...base, extraArgs: ["--permission-mode", "plan"] })).toEqual(["claude", "--session-id", "id", "--settings", "/h.json", "--permission-mode", "plan"]);
  expect(claudeArgv({ ...base, resume: true, extraArgs: ["--permission-mode=acceptEdits"] })).toEqual(["claude", "--resume", "id", "--settings", "/h.json", "--permission-mode=acceptEdits"]);
});

test("hook payloads are read defensively; csm's answer becomes the PermissionRequest hook's answer", () => {
  expect(readHookEvent(null)).toBeNull();
  expect(readHookEvent({ hook_event_name: "PostToolUseFailure", tool_use_id: "t" })).toMatchObject({ name: "PostToolUse", toolUseId: "t" });
  expect(readHookEvent({ hook_event_name: "PermissionRequest", tool_name: "Bash", tool_input: "not an object" })).toMatchObject({ toolInput: {} });
  expect(permissionHookAnswer({ type: "control_response", response: { subtype: "success", request_id: "r", response: { behavior: "deny", message: "no" } } })).toEqual({
    requestId: "r",
    body: { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: "no" } } },
  });
  expect(permissionHookAnswer({ type: "control_response", response: { subtype: "error", request_id: "r", error: "broken" } })!.body).toMatchObject({ hookSpecificOutput: { decision: { behavior: "deny", message: "broken" } } });
  expect(permissionHookAnswer({ type: "user", message: { role: "user", content: "x" } } as never)).toBeNull();
});

test("the fold: starting until ready; hooks set the state; transcript records never do; claude's own cost", () => {
  const at = "2026-11-30T00:00:00.000Z";
  const fold = (state: LiveState, kind: string, data: unknown) => foldEvent(state, { kind, at, data });
  let state = fold(initialLiveState(), "link", { event: "claude_started", pid: 1, starting: true });
  expect(state.status).toBe("starting");
  state = fold(state, "link", { event: "native_ready" });
  expect(state.status).toBe("idle");
  state = fold(state, "link", { event: "native_state", status: "working", reason: null, permissionMode: "default" });
  expect(state).toMatchObject({ status: "working", permissionMode: "default" });
  state = fold(state, "claude", { type: "result", subtype: "success", is_error: false, result: "done", session_id: "id", total_cost_usd: 0.5 });
  expect(state).toMatchObject({ status: "idle", turns: 1, lastMessage: "done", processCostUsd: 0.5 });
  // The reply read from the transcript after the Stop: the model and text, not a new state.
  state = fold(state, "claude", { type: "assistant", message: { model: "claude-x", content: [{ type: "text", text: "done" }] }, csm_from_transcript: true });
  expect(state).toMatchObject({ status: "idle", model: "claude-x" });
  state = fold(state, "link", { event: "cost", processCostUsd: 0.75 });
  expect(state.processCostUsd).toBe(0.75);
  state = fold(state, "link", { event: "native_ready" });
  expect(state.status).toBe("idle");
  state = fold(state, "link", { event: "conversation", claudeSessionId: "after-clear" });
  expect(state.claudeSessionId).toBe("after-clear");
  state = fold(state, "link", { event: "permission_mode", permissionMode: "auto" });
  expect(state.permissionMode).toBe("auto");
  expect(fold(state, "link", { event: "claude_exited", code: 0, sessionEnd: "prompt_input_exit" })).toMatchObject({ status: "dead", statusReason: "claude exited with status 0 (its session ended: prompt_input_exit)" });
  state = fold(state, "link", { event: "claude_exited", code: null, signal: "SIGKILL" });
  expect(fold(state, "link", { event: "native_state", status: "working", reason: null })).toMatchObject({ status: "dead", statusReason: "claude was killed by SIGKILL" });
});
