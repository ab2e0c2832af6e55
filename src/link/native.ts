import { parsePreToolUse, preToolUseResponse, type PreToolUseCall, type PreToolUseVerdict } from "../core/rules/pre-tool-use.ts";
import { openHubLink, type HubLinkDeps } from "./hub-link.ts";
import { conversationIdOf, type LaunchSpec } from "./launch.ts";
import { permissionHookAnswer, readHookEvent, resultFrame, toolCallKey, toolRequestFrame, type HookEvent } from "./native-hooks.ts";
import type { ClaudeToCsm, CsmToClaude } from "./protocol.ts";
import { transcriptFrame, TranscriptTail, type ReadFrom } from "./transcript-tail.ts";
import { userMessage } from "./protocol.ts";
import { freshMemory, judgeStatus, type ClaudeStatus, type HeardState } from "./status-fallback.ts";
import { oneLine, pasteableText } from "./typed-text.ts";

export type { ClaudeStatus } from "./status-fallback.ts";

// The native supervisor: what a native session's agent pane runs (`csm native NAME`). claude
// runs in the pane on the pane's own terminal, so a person who attaches sees claude's own
// screen; the supervisor only listens. It learns the state from claude's hooks (HTTP hooks
// to its own 127.0.0.1 endpoint, see native-settings.ts), the replies from the transcript
// (read as claude appends to it), and an interrupt from claude's own status file
// (`sessions/<pid>.json`: an Esc fires no hook). It relays all of it to the hub over the same
// numbered, acknowledged link as the bridge (hub-link.ts), in the frames the hub already folds:
// a PermissionRequest becomes a can_use_tool request, a Stop a result.
//
// A tool request waits in two places at once: csm's pending list and claude's own dialog.
// The hook's connection stays open while it waits (no time limit), and whichever answer
// comes first wins: csm's answer becomes the hook's answer; an answer on the screen shows as
// the tool's PostToolUse (or the turn's end), which withdraws the request from csm, and a
// later answer from csm is refused as already answered. The supervisor outlives a hub that
// goes away: the request stays open, and the next hub learns it from the link's report.

export interface NativeClaude {
  pid: number;
  exited: Promise<{ code: number | null; signal: string | null }>;
}


export interface NativeDeps extends HubLinkDeps {
  /** Runs claude on the pane's terminal with `argv` and the hooks' variables added to the spec's environment. */
  spawnClaude(argv: string[], env: Record<string, string>): NativeClaude;
  /** Serves claude's hooks with `answer` and writes the spec's settings file; returns the variables claude needs. */
  serveHooks(answer: (payload: unknown) => Promise<Record<string, unknown>>): Promise<{ env: Record<string, string>; stop(): void }>;
  judgeToolUse(call: PreToolUseCall): Promise<PreToolUseVerdict>;
  /** Types text into claude's input as one bracketed paste, then Enter. */
  typeText(text: string): Promise<void>;
  pressEscape(): Promise<void>;
  /** claude's own status file for process `pid`, or null while there is none. */
  claudeStatus(pid: number): ClaudeStatus | null;
  /** claude's own total cost, as its statusLine input last said; null until it has. */
  costUsd(): number | null;
  readFrom: ReadFrom;
  fileSize(path: string): number;
  /** Where claude is expected to write this conversation's transcript (its hooks say where it does). */
  transcriptPath: string;
  /** How long to wait for the hub to store the last frames after claude exits (default: until it has). */
  flushTimeoutMs?: number;
  /** How often the status file, the transcript and the cost are looked at (default 250 ms). */
  pollMs?: number;
  /** How long a typed message may take to show as UserPromptSubmit (default 8 s). */
  promptConfirmMs?: number;
  /** How long a message waits for claude to be ready, and for all of its delivery (defaults below; shorter in tests). */
  readyWaitMs?: number;
  deliveryBudgetMs?: number;
}

/**
 * What one message may take, from the hub's asking to its answer: under the hub's own 10 s, so
 * the hub never gives up on a message that is then typed after all (and sent again by a retry).
 */
const DELIVERY_BUDGET_MS = 9_000;
/** Of that, how long a message waits for claude to be ready (a startup dialog may hold it). */
const READY_WAIT_MS = 6_000;
/** The least left for claude to take what was typed. */
const CONFIRM_MIN_MS = 2_000;

/** Whether `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A prompt as claude's transcript keeps it: trimmed, tabs as four spaces. */
const echoForm = (text: string) => text.replace(/\t/g, "    ").trim();

/** A first prompt up to this size goes on claude's command line; a longer one is typed once claude is ready. */
const PROMPT_ARG_MAX = 32 * 1024;
/** An idle claude's status file is looked at this many times less often. */
const IDLE_POLL_FACTOR = 4;
/** Prompts csm typed and has not yet seen in the transcript, at most. */
const REMEMBERED_PROMPTS = 20;
/** How long a Stop waits for the turn's last reply to reach the transcript. */
const TRANSCRIPT_LAG_MS = 500;

interface OpenRequest {
  frame: ClaudeToCsm;
  toolName: string;
  toolUseId: string | null;
  answer(body: Record<string, unknown>): void;
}

export async function runNative(spec: LaunchSpec, deps: NativeDeps): Promise<number> {
  let claudeSessionId = conversationIdOf(spec.argv);
  const open = new Map<string, OpenRequest>();
  const toolUseIds = new Map<string, string>();
  const promptWaiters: (() => void)[] = [];
  const readyWaiters: (() => void)[] = [];
  let ready = false;
  let busySince: number | null = null;
  let permissionMode: string | null = null;
  const fallback = freshMemory();
  let lastHookAt: number | null = null;
  /** Why claude said its session ended (SessionEnd: `prompt_input_exit`, `clear`, `logout`…), for the dead state's reason. */
  let endReason: string | null = null;
  let lastCost: number | null = null;
  let deliveries = Promise.resolve();

  const link = openHubLink({ agentUrl: spec.agentUrl, secret: spec.secret, transport: "native" }, deps, {
    openRequests: () => [...open.values()].map((request) => request.frame),
    deliver: (message, out) => {
      // An answer to a waiting hook types nothing: it never waits behind a message being typed.
      if (permissionHookAnswer(message)) return void deliver(message, out, Date.now()).catch(() => undefined);
      const asked = Date.now();
      deliveries = deliveries.then(() => deliver(message, out, asked)).catch(() => undefined);
    },
  });
  const emit = link.emit;
  const linkEvent = (event: Record<string, unknown>) => emit({ type: "csm_bridge", event });
  const nativeState = (status: "working" | "idle" | "waiting", reason: string | null) => linkEvent({ event: "native_state", status, reason, permissionMode });

  // The transcript's path is in every hook's payload; a resumed conversation's earlier records are not news.
  const sizeAtStart = deps.fileSize(deps.transcriptPath);
  let tail: TranscriptTail | null = null;
  const follow = (path: string | null) => {
    if (path && tail?.path !== path) tail = new TranscriptTail(path, deps.readFrom, path === deps.transcriptPath ? sizeAtStart : 0);
  };
  // Prompts csm typed are in the log already (as what csm sent): their transcript echo is not news.
  const typedPrompts: string[] = [];
  let lastAssistantText: string | null = null;
  const forwardTranscript = () => {
    for (const record of tail?.poll() ?? []) {
      const content = (record.message as { content?: unknown } | undefined)?.content;
      if (record.type === "user" && typeof content === "string") {
        const at = typedPrompts.indexOf(echoForm(content));
        if (at >= 0) {
          typedPrompts.splice(at, 1);
          continue;
        }
      }
      if (record.type === "assistant" && Array.isArray(content)) {
        const text = content.filter((block: { type?: string }) => block.type === "text").map((block: { text?: string }) => block.text ?? "").join("");
        if (text !== "") lastAssistantText = text;
      }
      emit(transcriptFrame(record));
    }
  };
  /** claude may write the turn's last reply to its transcript just after its Stop hook: wait for it, briefly. */
  const catchUpWith = async (reply: string | null) => {
    if (!reply || !tail) return;
    for (let waited = 0; lastAssistantText !== reply && waited < TRANSCRIPT_LAG_MS; waited += 20) {
      await deps.sleep(20);
      forwardTranscript();
    }
  };

  const withdraw = (requestId: string, reason: string, answeredOnScreen: boolean) => {
    const request = open.get(requestId);
    if (!request) return;
    open.delete(requestId);
    request.answer({});
    if (answeredOnScreen) {
      emit({ type: "csm_decision", decision: { event: "decision", requestId, toolName: request.toolName, action: "allow", by: "screen", ruleIndex: null, rule: null, reason } });
    } else {
      emit({ type: "control_cancel_request", request_id: requestId, csm_reason: reason });
    }
  };
  const withdrawAll = (reason: string) => {
    for (const requestId of [...open.keys()]) withdraw(requestId, reason, false);
  };

  const markBusy = () => {
    busySince = Date.now();
    fallback.disagreeingSince = null;
  };

  const onHook = async (payload: unknown): Promise<Record<string, unknown>> => {
    const event = readHookEvent(payload);
    if (!event) return {};
    lastHookAt = Date.now();
    // `/clear` starts a new conversation in the same claude: its hooks name the new id.
    const sessionId = (payload as { session_id?: unknown }).session_id;
    if (typeof sessionId === "string" && sessionId !== "" && sessionId !== claudeSessionId) {
      claudeSessionId = sessionId;
      endReason = null;
      linkEvent({ event: "conversation", claudeSessionId });
    }
    const mode = (payload as { permission_mode?: unknown }).permission_mode;
    if (typeof mode === "string" && mode !== permissionMode) {
      permissionMode = mode;
      linkEvent({ event: "permission_mode", permissionMode: mode });
    }
    follow(event.transcriptPath);
    forwardTranscript();
    return handle(event, payload);
  };

  const handle = async (event: HookEvent, payload: unknown): Promise<Record<string, unknown>> => {
    switch (event.name) {
      case "UserPromptSubmit":
        markBusy();
        nativeState("working", null);
        promptWaiters.splice(0).forEach((confirm) => confirm());
        return {};
      case "PreToolUse": {
        markBusy();
        if (event.toolUseId) toolUseIds.set(toolCallKey(event.toolName, event.toolInput), event.toolUseId);
        const call = parsePreToolUse(payload);
        if (!call) return {};
        const verdict = await deps.judgeToolUse(call);
        if (verdict.kind === "deny" || verdict.kind === "allow") emit({ type: "csm_decision", decision: verdict.decision });
        return preToolUseResponse(verdict);
      }
      case "PermissionRequest": {
        markBusy();
        const requestId = `native-${crypto.randomUUID()}`;
        const key = toolCallKey(event.toolName, event.toolInput);
        const toolUseId = toolUseIds.get(key) ?? null;
        toolUseIds.delete(key);
        const frame = toolRequestFrame(requestId, event, toolUseId);
        return new Promise((answer) => {
          open.set(requestId, { frame, toolName: event.toolName, toolUseId, answer });
          emit(frame as unknown as Record<string, unknown>);
        });
      }
      case "PostToolUse":
        for (const [requestId, request] of open) {
          if (event.toolUseId && request.toolUseId === event.toolUseId) withdraw(requestId, "answered on claude's own screen", true);
        }
        return {};
      case "Stop":
        await catchUpWith(event.lastAssistantMessage);
        busySince = null;
        // The turn's tool calls are over: what they were called is not needed again.
        toolUseIds.clear();
        withdrawAll("the turn ended");
        // No cost here: claude's statusLine reports the turn's cost just after; the cost event follows.
        emit(resultFrame(event, claudeSessionId, null) as unknown as Record<string, unknown>);
        return {};
      case "SessionEnd":
        // `clear` ends a conversation, not claude: the next one follows in the same process.
        if (event.reason !== "clear") endReason = event.reason;
        linkEvent({ event: "session_end", reason: event.reason });
        return {};
      default:
        return {};
    }
  };

  let claudePid: number | null = null;
  const dialogOpen = () => open.size > 0 || (claudePid !== null && deps.claudeStatus(claudePid)?.status === "waiting");

  /** Whether claude is ready (its status file is there) within `ms` (forever without). */
  const whenReady = (ms?: number) =>
    ready
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const timer = ms === undefined ? undefined : setTimeout(() => resolve(false), ms);
          readyWaiters.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });

  /** Types `text` and waits up to `confirmMs` for claude to take it as a prompt (UserPromptSubmit). */
  const typeAndConfirm = async (text: string, confirmMs: number): Promise<boolean> => {
    const confirmed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), confirmMs);
      promptWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    await deps.typeText(text);
    return confirmed;
  };

  const sent = (message: CsmToClaude, out: string, extra: Record<string, unknown> = {}) => emit({ type: "csm_sent", message, out, ...extra });
  const refused = (out: string, reason: string) => emit({ type: "csm_undeliverable", out, reason });

  /** The first prompt when it is typed rather than given on claude's command line. */
  let firstPrompt: Promise<unknown> = Promise.resolve();
  const budget = deps.deliveryBudgetMs ?? DELIVERY_BUDGET_MS;
  const confirmAtLeast = Math.min(CONFIRM_MIN_MS, deps.promptConfirmMs ?? CONFIRM_MIN_MS);

  async function deliver(message: CsmToClaude, out: string, asked: number): Promise<void> {
    const hookAnswer = permissionHookAnswer(message);
    if (hookAnswer) {
      const request = open.get(hookAnswer.requestId);
      if (!request) return refused(out, "already answered on claude's own screen, or withdrawn");
      open.delete(hookAnswer.requestId);
      request.answer(hookAnswer.body);
      return sent(message, out);
    }
    // Keys typed into an open dialog answer it ("1", Enter: yes): nothing is typed then.
    const typing = message.type === "user" || (message.type === "control_request" && ["rename_session", "set_model"].includes((message.request as { subtype: string }).subtype));
    const dialogRefusal = "claude shows a dialog on its screen (a tool request?): typing now would answer it; answer it first (csm approve / deny, or csm attach)";
    if (typing && dialogOpen()) return refused(out, dialogRefusal);
    if (typing) {
      // Waited for in the hub's time: a message the hub gave up on is never typed later.
      const left = budget - (Date.now() - asked);
      if (left < confirmAtLeast) return refused(out, "claude was still busy with an earlier message; send it again");
      if (!(await whenReady(Math.min(deps.readyWaitMs ?? READY_WAIT_MS, left - confirmAtLeast)))) {
        return refused(out, "claude has not finished starting: a dialog may be open on its screen (a new MCP server, trust?); see `csm attach`, then send it again");
      }
      // A first prompt typed (not on the command line) goes first, whole: two pastes at once would merge.
      if (!(await within(firstPrompt, budget - (Date.now() - asked) - confirmAtLeast))) return refused(out, "claude was still taking its first prompt; send it again");
      if (dialogOpen()) return refused(out, dialogRefusal);
    }
    if (message.type === "user") {
      const text = typeof message.message.content === "string" ? message.message.content : message.message.content.map((block) => ("text" in block ? block.text : "")).join("");
      // A slash command is claude's own, not a prompt: no UserPromptSubmit says it was taken.
      if (text.trimStart().startsWith("/")) {
        await deps.typeText(text);
        return sent(message, out);
      }
      typedPrompts.push(echoForm(pasteableText(text)));
      // One that claude never took (refused below) must not hide a person's same prompt for good.
      if (typedPrompts.length > REMEMBERED_PROMPTS) typedPrompts.shift();
      // While claude works, what is typed waits in its input for the turn to end: delivered, not yet submitted.
      if (busySince !== null) {
        await deps.typeText(text);
        return sent(message, out, { queued: true });
      }
      const confirmMs = Math.min(deps.promptConfirmMs ?? 8000, budget - (Date.now() - asked));
      if (await typeAndConfirm(text, confirmMs)) return sent(message, out);
      return refused(out, "typed into claude's input, but claude did not take it as a prompt (is a dialog open? see `csm attach`)");
    }
    if (message.type === "control_request") {
      const request = message.request as { subtype: string; title?: string; model?: string };
      if (request.subtype === "interrupt") {
        await deps.pressEscape();
        return sent(message, out);
      }
      if (request.subtype === "rename_session" && request.title) {
        await deps.typeText(`/rename ${oneLine(request.title)}`);
        return sent(message, out);
      }
      if (request.subtype === "set_model" && request.model) {
        await deps.typeText(`/model ${oneLine(request.model)}`);
        return sent(message, out);
      }
      return refused(out, `a native session does not take ${request.subtype} (use claude's own screen: csm attach)`);
    }
    return refused(out, "a native session does not take this message");
  }

  const hooks = await deps.serveHooks(onHook);
  const prompt = spec.prompt;
  const promptOnCommandLine = prompt !== undefined && prompt.length <= PROMPT_ARG_MAX && !prompt.startsWith("-");
  const claude = deps.spawnClaude(promptOnCommandLine ? [...spec.argv, prompt] : spec.argv, { ...spec.env, ...hooks.env });
  claudePid = claude.pid;
  linkEvent({ event: "claude_started", pid: claude.pid, claudeSessionId, starting: true });
  if (prompt !== undefined) {
    // The first prompt is in the log as what csm sent, whichever way it reaches claude.
    typedPrompts.push(echoForm(promptOnCommandLine ? prompt : pasteableText(prompt)));
    emit({ type: "csm_sent", message: userMessage(prompt) });
    // It waits for claude as long as it takes; messages wait for it (see deliver).
    if (!promptOnCommandLine) firstPrompt = whenReady().then(() => typeAndConfirm(prompt, deps.promptConfirmMs ?? 8000)).catch(() => undefined);
  }

  let watch: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    forwardTranscript();
    const status = deps.claudeStatus(claude.pid);
    if (status && !ready) {
      ready = true;
      linkEvent({ event: "native_ready" });
      readyWaiters.splice(0).forEach((resolve) => resolve());
    }
    const heard = { state: (open.size > 0 ? "waiting" : busySince !== null ? "busy" : "idle") as HeardState, busySince, lastHookAt };
    const verdict = judgeStatus(status, heard, fallback, Date.now());
    if (verdict.kind === "interrupted") {
      busySince = null;
      withdrawAll("interrupted");
      nativeState("idle", "interrupted");
    } else if (verdict.kind === "fallback") {
      nativeState(verdict.state === "busy" ? "working" : verdict.state, verdict.reason);
    } else if (verdict.kind === "agreed") {
      nativeState(verdict.state === "busy" ? "working" : verdict.state, null);
    }
    const cost = deps.costUsd();
    if (cost !== null && cost !== lastCost) {
      lastCost = cost;
      linkEvent({ event: "cost", processCostUsd: cost });
    }
    // While claude works, an Esc must show soon; an idle claude changes only through hooks, or
    // the fallback, which can take its time. Fewer wake-ups for the many sessions that sit idle.
    const every = deps.pollMs ?? 250;
    watch = setTimeout(look, busySince !== null || open.size > 0 || !ready ? every : every * IDLE_POLL_FACTOR);
  };
  look();

  const exit = await claude.exited;
  clearTimeout(watch);
  forwardTranscript();
  withdrawAll("claude exited");
  linkEvent({ event: "claude_exited", code: exit.code, signal: exit.signal, ...(endReason ? { sessionEnd: endReason } : {}) });
  await link.flush(deps.flushTimeoutMs ?? Number.POSITIVE_INFINITY);
  hooks.stop();
  link.close();
  return exit.code ?? 1;
}
