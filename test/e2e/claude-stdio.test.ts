import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { decodeNdjsonStream, encodeFrame } from "../../src/link/ndjson.ts";
import {
  allowResponse,
  denyResponse,
  interruptRequest,
  isCanUseTool,
  isClaudeToCsm,
  isSystemInit,
  userMessage,
  type AssistantMessage,
  type ClaudeToCsm,
  type ControlCancelRequest,
  type ControlResponse,
  type CsmToClaude,
  type ResultMessage,
  type StreamEventMessage,
} from "../../src/link/protocol.ts";
import {

  bashReply,
  errorReply,
  lastToolResultText,
  prepareClaudeEnv,
  slowTextReply,
  startFakeAnthropic,
  textReply,
} from "../fixtures/fake-anthropic.ts";

// The real claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The real claude binary in stream-json mode against the fake API: the protocol csm's
// bridge transport is built on (/work/shared/docs/claude-code.md §3). If claude changes
// its messages or its permission flow, these tests are meant to notice.

const CLAUDE_BIN = resolve(import.meta.dir, "../../node_modules/.bin/claude");
const STDIO_ARGS = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio"];
const WAIT_MS = 10_000;

/** A running claude speaking stream-json on its stdio, read as it arrives. */
class ClaudeStdio implements AsyncDisposable {
  readonly messages: ClaudeToCsm[] = [];
  readonly unreadable: string[] = [];
  private cursor = 0;
  private stdoutClosed = false;
  private arrived = Promise.withResolvers<void>();
  private stderrText: Promise<string>;

  constructor(private readonly child: Bun.Subprocess<"pipe", "pipe", "pipe">) {
    this.stderrText = new Response(child.stderr).text();
    void this.read();
  }

  private async read() {
    for await (const line of decodeNdjsonStream(this.child.stdout)) {
      if (line.ok && isClaudeToCsm(line.value)) this.messages.push(line.value);
      else this.unreadable.push(line.ok ? JSON.stringify(line.value) : line.line);
      this.arrived.resolve();
      this.arrived = Promise.withResolvers<void>();
    }
    this.stdoutClosed = true;
    this.arrived.resolve();
  }

  send(message: CsmToClaude) {
    this.child.stdin.write(encodeFrame(message));
    this.child.stdin.flush();
  }

  /** The next message after the last one returned that matches; earlier ones stay in `messages`. */
  async next<T extends ClaudeToCsm>(what: string, match: (message: ClaudeToCsm) => message is T): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const index = this.messages.findIndex((message, at) => at >= this.cursor && match(message));
      if (index >= 0) {
        this.cursor = index + 1;
        return this.messages[index] as T;
      }
      const left = deadline - Date.now();
      if (this.stdoutClosed || left <= 0) {
        const why = this.stdoutClosed ? `claude closed its output (stderr: ${await this.stderrText})` : `${WAIT_MS} ms passed`;
        throw new Error(`waiting for ${what}: ${why}; seen: ${this.messages.map(label).join(", ")}`);
      }
      let timer: Timer | undefined;
      await Promise.race([this.arrived.promise, new Promise((wake) => (timer = setTimeout(wake, left)))]);
      clearTimeout(timer);
    }
  }

  nextResult() {
    return this.next("a result", (message): message is ResultMessage => message.type === "result");
  }

  nextPermissionRequest() {
    return this.next("a can_use_tool request", isCanUseTool);
  }

  /** EOF on stdin: claude finishes the current turn and exits. */
  async closeInput(): Promise<number> {
    await this.child.stdin.end();
    return this.child.exited;
  }

  get exitCode() {
    return this.child.exitCode;
  }

  async [Symbol.asyncDispose]() {
    if (this.child.exitCode !== null) return;
    try {
      await this.child.stdin.end();
    } catch {
      // stdin already closed: waiting for the exit is all that is left
    }
    const exited = await Promise.race([this.child.exited, Bun.sleep(2_000).then(() => null)]);
    if (exited === null) this.child.kill("SIGKILL");
    await this.child.exited;
  }
}

/** "system/init", "result/success", "assistant": enough to read the order of a turn. */
const label = (message: ClaudeToCsm) => ("subtype" in message && typeof message.subtype === "string" ? `${message.type}/${message.subtype}` : message.type);

const isAssistant = (message: ClaudeToCsm): message is AssistantMessage => message.type === "assistant";

/** Everything one test needs, removed again on dispose: the fake API, a git repo, claude's own config and HOME. */
async function claudeWorld(extraEnv: Record<string, string> = {}) {
  const root = await realpath(await mkdtemp(join(tmpdir(), "csm-claude-stdio-")));
  const repo = join(root, "repo");
  const fake = await startFakeAnthropic();
  const processes: ClaudeStdio[] = [];
  await mkdir(repo);
  const env = { ...prepareClaudeEnv({ root, apiUrl: fake.url, projectDir: repo }), ...extraEnv };
  const git = (...args: string[]) => {
    const result = Bun.spawnSync(["git", "-c", "user.name=csm test", "-c", "user.email=csm-test@example.invalid", ...args], { cwd: repo, env });
    if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr.toString()}`);
  };
  git("init", "-q", "-b", "main");
  git("commit", "-q", "--allow-empty", "-m", "initial");

  return {
    root,
    repo,
    fake,
    startClaude(extraArgs: string[] = []): ClaudeStdio {
      const child = Bun.spawn([CLAUDE_BIN, ...STDIO_ARGS, "--session-id", crypto.randomUUID(), ...extraArgs], {
        cwd: repo,
        env,
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
      const claude = new ClaudeStdio(child);
      processes.push(claude);
      return claude;
    },
    async [Symbol.asyncDispose]() {
      for (const claude of processes) await claude[Symbol.asyncDispose]();
      await fake.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

test("a text turn: system/init, then the assistant's text, then a result with turns and cost", async () => {
  await using world = await claudeWorld();
  world.fake.reply(textReply("Hello from the fake API"));
  await using claude = world.startClaude();

  claude.send(userMessage("say hello"));
  const result = await claude.nextResult();

  const turn = claude.messages.slice(0, claude.messages.indexOf(result) + 1);
  expect(turn.map(label)).toEqual(["system/init", "assistant", "result/success"]);
  const init = turn[0]!;
  if (!isSystemInit(init)) throw new Error("the turn did not start with system/init");
  expect(init.cwd).toBe(world.repo);
  expect(init.tools).toContain("Bash");
  expect(init.permissionMode).toBe("default");
  expect(init.claude_code_version).toMatch(/^\d+\.\d+\.\d+$/);

  const assistant = turn[1] as AssistantMessage;
  expect(assistant.message.content).toEqual([{ type: "text", text: "Hello from the fake API" }]);
  expect(assistant.session_id).toBe(init.session_id);

  expect(result).toMatchObject({ is_error: false, num_turns: 1, result: "Hello from the fake API", terminal_reason: "completed" });
  expect(result.session_id).toBe(init.session_id);
  expect(result.total_cost_usd).toBeGreaterThan(0);
  expect(result.usage.input_tokens).toBeGreaterThan(0);
  expect(world.fake.requests).toHaveLength(1);
  expect(claude.unreadable).toEqual([]);
  expect(await claude.closeInput()).toBe(0);
});

test("a Bash tool_use asks permission; allow with updatedInput runs the command", async () => {
  await using world = await claudeWorld();
  const target = join(world.root, "allowed");
  world.fake.reply(bashReply(`touch ${target}`), textReply("touched it"));
  await using claude = world.startClaude();

  claude.send(userMessage("touch the file"));
  const asked = await claude.nextPermissionRequest();
  expect(asked.request).toMatchObject({ tool_name: "Bash", input: { command: `touch ${target}` } });
  expect(asked.request.tool_use_id).toStartWith("toolu_");
  expect(existsSync(target)).toBe(false);

  claude.send(allowResponse(asked.request_id, asked.request.input));
  const result = await claude.nextResult();

  expect(existsSync(target)).toBe(true);
  expect(result).toMatchObject({ is_error: false, num_turns: 2, result: "touched it", permission_denials: [] });
  expect(lastToolResultText(world.fake.requests[1]!)).toBe("(Bash completed with no output)");
});

test("allow with a changed updatedInput runs the changed command, not the asked one", async () => {
  await using world = await claudeWorld();
  const asked = join(world.root, "asked");
  const rewritten = join(world.root, "rewritten");
  world.fake.reply(bashReply(`touch ${asked}`), textReply("done"));
  await using claude = world.startClaude();

  claude.send(userMessage("touch the file"));
  const request = await claude.nextPermissionRequest();
  claude.send(allowResponse(request.request_id, { ...request.request.input, command: `touch ${rewritten}` }));
  await claude.nextResult();

  expect(existsSync(rewritten)).toBe(true);
  expect(existsSync(asked)).toBe(false);
});

test("deny with a message: nothing runs and the model reads the message in the tool_result", async () => {
  await using world = await claudeWorld();
  const target = join(world.root, "denied");
  const why = "csm-test: touching files is not allowed here";
  world.fake.reply(bashReply(`touch ${target}`), (request) => textReply(`the tool said: ${lastToolResultText(request)}`));
  await using claude = world.startClaude();

  claude.send(userMessage("touch the file"));
  const asked = await claude.nextPermissionRequest();
  claude.send(denyResponse(asked.request_id, why));
  const result = await claude.nextResult();

  expect(existsSync(target)).toBe(false);
  expect(lastToolResultText(world.fake.requests[1]!)).toBe(why);
  expect(result.result).toBe(`the tool said: ${why}`);
  expect(result.is_error).toBe(false);
  expect(result.permission_denials).toEqual([{ tool_name: "Bash", tool_use_id: asked.request.tool_use_id, tool_input: asked.request.input }]);
});

test("two turns on one process: init again, same session, cost adds up", async () => {
  await using world = await claudeWorld();
  world.fake.reply(textReply("first answer"), textReply("second answer"));
  await using claude = world.startClaude();

  claude.send(userMessage("first"));
  const firstInit = await claude.next("the first init", isSystemInit);
  const first = await claude.nextResult();
  expect(claude.exitCode).toBeNull();

  claude.send(userMessage("second"));
  const secondInit = await claude.next("the second init", isSystemInit);
  const second = await claude.nextResult();

  expect([first.result, second.result]).toEqual(["first answer", "second answer"]);
  expect(secondInit.session_id).toBe(firstInit.session_id);
  expect(second.session_id).toBe(first.session_id);
  expect(second.num_turns).toBe(1);
  expect(second.total_cost_usd).toBeGreaterThan(first.total_cost_usd);
  const secondPrompt = world.fake.requests[1]!.messages.filter((message) => message.role !== "system");
  expect(secondPrompt.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  expect(await claude.closeInput()).toBe(0);
});

test("an API error ends the turn with an error result; the process takes the next turn", async () => {
  // Without a retry limit claude backs off ten times, about three minutes.
  await using world = await claudeWorld({ CLAUDE_CODE_MAX_RETRIES: "0" });
  world.fake.reply(errorReply(529, "fake overload"), textReply("back again"));
  await using claude = world.startClaude();

  claude.send(userMessage("hello?"));
  const failed = await claude.nextResult();
  const synthetic = claude.messages.find(isAssistant);
  expect(synthetic).toMatchObject({ is_api_error_message: true, api_error_status: 529, message: { model: "<synthetic>" } });
  expect(failed).toMatchObject({ is_error: true, terminal_reason: "api_error", api_error_status: 529, total_cost_usd: 0 });
  expect(failed.result).toContain("fake overload");

  claude.send(userMessage("again"));
  const recovered = await claude.nextResult();
  expect(recovered).toMatchObject({ is_error: false, result: "back again" });
});

test("interrupt withdraws a pending permission request and ends the turn", async () => {
  await using world = await claudeWorld();
  const target = join(world.root, "never");
  world.fake.reply(bashReply(`touch ${target}`));
  await using claude = world.startClaude();

  claude.send(userMessage("touch the file"));
  const asked = await claude.nextPermissionRequest();
  claude.send(interruptRequest("csm-interrupt-1"));

  const cancelled = await claude.next("the cancel", (m): m is ControlCancelRequest => m.type === "control_cancel_request");
  expect(cancelled.request_id).toBe(asked.request_id);
  const answered = await claude.next("the interrupt's answer", (m): m is ControlResponse => m.type === "control_response" && m.response.request_id === "csm-interrupt-1");
  expect(answered).toMatchObject({ response: { subtype: "success" } });
  const result = await claude.nextResult();
  expect(result).toMatchObject({ is_error: true, subtype: "error_during_execution", terminal_reason: "aborted_tools" });
  expect(existsSync(target)).toBe(false);
});

test("interrupt during a slow stream keeps the partial text and ends the turn", async () => {
  await using world = await claudeWorld();
  const full = "one two three four five six seven eight nine ten";
  world.fake.reply(slowTextReply(full, 150, 4));
  await using claude = world.startClaude(["--include-partial-messages"]);

  claude.send(userMessage("count slowly"));
  await claude.next("the first text delta", (m): m is StreamEventMessage => m.type === "stream_event" && m.event.type === "content_block_delta");
  claude.send(interruptRequest("csm-interrupt-2"));
  const result = await claude.nextResult();

  const partial = claude.messages.find(isAssistant);
  expect(partial?.aborted).toBe(true);
  const text = (partial?.message.content[0] as { text: string } | undefined)?.text ?? "";
  expect(full.startsWith(text)).toBe(true);
  expect(text).not.toBe(full);
  expect(result).toMatchObject({ is_error: true, terminal_reason: "aborted_streaming" });
});
