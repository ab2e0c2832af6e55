import { describe, expect, test } from "bun:test";
import {
  allowResponse,
  controlRequest,
  denyResponse,
  endSessionRequest,
  errorResponse,
  initializeRequest,
  interruptRequest,
  isApiRetry,
  isCanUseTool,
  isClaudeToCsm,
  isSystemInit,
  setModelRequest,
  setPermissionModeRequest,
  userMessage,
  type ClaudeToCsm,
} from "../../src/link/protocol.ts";

// Shapes as claude 2.1.330 printed them (trimmed to the fields csm reads).
const init = {
  type: "system",
  subtype: "init",
  cwd: "/tmp/repo",
  session_id: "s-1",
  tools: ["Bash", "Read"],
  model: "claude-opus-5-5",
  permissionMode: "default",
  claude_code_version: "2.1.330",
  uuid: "u-1",
};
const canUseTool = {
  type: "control_request",
  request_id: "r-1",
  request: {
    subtype: "can_use_tool",
    tool_name: "Bash",
    display_name: "Bash",
    input: { command: "touch /tmp/f", description: "Touch" },
    description: "Touch",
    permission_suggestions: [],
    blocked_path: "/tmp/f",
    tool_use_id: "toolu_1",
  },
};
const apiRetry = {
  type: "system",
  subtype: "api_retry",
  attempt: 1,
  max_retries: 10,
  retry_delay_ms: 605,
  error_status: 500,
  error: "server_error",
  session_id: "s-1",
  uuid: "u-2",
};

describe("constructors: the exact lines claude accepts", () => {
  test("userMessage is a stream-json user line with an empty session id", () => {
    expect(userMessage("hello")).toEqual({
      type: "user",
      message: { role: "user", content: "hello" },
      parent_tool_use_id: null,
      session_id: "",
    });
  });

  test("userMessage carries a uuid only when given one", () => {
    expect(userMessage("hi", "11111111-2222-4333-8444-555555555555").uuid).toBe("11111111-2222-4333-8444-555555555555");
    expect("uuid" in userMessage("hi")).toBe(false);
  });

  test("allowResponse always carries updatedInput (claude requires it)", () => {
    expect(allowResponse("r-1", { command: "ls" })).toEqual({
      type: "control_response",
      response: { subtype: "success", request_id: "r-1", response: { behavior: "allow", updatedInput: { command: "ls" } } },
    });
  });

  test("denyResponse carries the message, and interrupt only when asked", () => {
    expect(denyResponse("r-2", "not in this repo").response).toEqual({
      subtype: "success",
      request_id: "r-2",
      response: { behavior: "deny", message: "not in this repo" },
    });
    expect(denyResponse("r-3", "stop", true).response).toEqual({
      subtype: "success",
      request_id: "r-3",
      response: { behavior: "deny", message: "stop", interrupt: true },
    });
  });

  test("errorResponse answers a request csm does not handle", () => {
    expect(errorResponse("r-4", "unsupported")).toEqual({
      type: "control_response",
      response: { subtype: "error", request_id: "r-4", error: "unsupported" },
    });
  });

  test("control requests csm sends", () => {
    expect(controlRequest("c-1", { subtype: "interrupt" })).toEqual({
      type: "control_request",
      request_id: "c-1",
      request: { subtype: "interrupt" },
    });
    expect(initializeRequest("c-2").request).toEqual({ subtype: "initialize" });
    expect(interruptRequest("c-3").request).toEqual({ subtype: "interrupt" });
    expect(setPermissionModeRequest("c-4", "acceptEdits").request).toEqual({ subtype: "set_permission_mode", mode: "acceptEdits" });
    expect(setModelRequest("c-5", "claude-sonnet-4-5").request).toEqual({ subtype: "set_model", model: "claude-sonnet-4-5" });
    expect(setModelRequest("c-6").request).toEqual({ subtype: "set_model" });
    expect(endSessionRequest("c-7")).toEqual({ type: "control_request", request_id: "c-7", request: { subtype: "end_session" } });
  });

  test("everything built is plain JSON: it survives a round trip unchanged", () => {
    const built = [userMessage("x"), allowResponse("r", {}), denyResponse("r", "m", true), setModelRequest("c")];
    for (const message of built) expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });
});

describe("recognising what claude sends", () => {
  test("isClaudeToCsm accepts every known type and rejects anything else", () => {
    for (const type of ["system", "assistant", "user", "result", "stream_event", "control_request", "control_response", "control_cancel_request", "command_lifecycle"]) {
      expect(isClaudeToCsm({ type })).toBe(true);
    }
    for (const other of [null, 42, "system", [], {}, { type: "telepathy" }, { type: 1 }]) {
      expect(isClaudeToCsm(other)).toBe(false);
    }
  });

  test("guards pick out init, api_retry and can_use_tool", () => {
    const messages = [init, canUseTool, apiRetry] as ClaudeToCsm[];
    expect(messages.map(isSystemInit)).toEqual([true, false, false]);
    expect(messages.map(isApiRetry)).toEqual([false, false, true]);
    expect(messages.map(isCanUseTool)).toEqual([false, true, false]);
  });

  test("a can_use_tool request, once recognised, gives what an answer needs", () => {
    const message = canUseTool as ClaudeToCsm;
    if (!isCanUseTool(message)) throw new Error("not recognised");
    const answer = allowResponse(message.request_id, message.request.input);
    expect(answer.response).toMatchObject({ request_id: "r-1", response: { updatedInput: { command: "touch /tmp/f" } } });
  });

  test("an unknown control request subtype is not mistaken for can_use_tool", () => {
    const hook = { type: "control_request", request_id: "r-9", request: { subtype: "hook_callback" } } as ClaudeToCsm;
    expect(isCanUseTool(hook)).toBe(false);
  });
});
