import { parsePreToolUse, preToolUseResponse, type PreToolUseCall, type PreToolUseVerdict } from "../core/rules/pre-tool-use.ts";
import type { PipedProcess } from "../host/runner.ts";
import type { LaunchSpec } from "./launch.ts";
import { encodeFrame, NdjsonDecoder } from "./ndjson.ts";
import { isCanUseTool, isClaudeToCsm, userMessage, type ClaudeToCsm, type CsmToClaude } from "./protocol.ts";
import { renderClaudeMessage, renderSent, type Palette } from "./render.ts";

// The stdio bridge: runs claude with stream-json on stdio and relays it to the hub's
// agent socket, for every claude version (≥ 2.1.121 refuses a local --sdk-url).
//
// Reliability: every frame to the hub carries `csm_seq`; frames stay in `unacked` until
// the hub acknowledges them, and after a reconnect the hub's hello says what it already
// stored, so nothing is lost or stored twice. Numbers continue the session's sequence:
// a new bridge (after `csm reconnect`) takes the hub's first hello as its base, and no
// frame leaves before that hello. claude keeps running while the hub is away.
// Messages from the hub carry `csm_out`; one already delivered is not written to claude
// again. The first prompt comes from the launch spec, so it does not depend on the hub.
//
// The bridge also remembers the tool requests claude is still waiting on. After each
// hello, once the frames the hub lacked are resent, it tells the hub which those are
// (`csm_open_requests`): a restarted hub then knows exactly what is pending, and
// decides by the rules what the hub before it never got to decide.
//
// The bridge also answers claude's PreToolUse hook (see core/rules/pre-tool-use.ts) from
// the rules, before claude runs any tool, so a deny rule holds for the tools claude runs
// without asking, and holds while the hub is away. A denial is reported to the hub like
// any frame, so it lands in the event log exactly once.

export interface AgentSocket {
  send(text: string): void;
  close(): void;
}

export interface BridgeDeps {
  spawnClaude(spec: LaunchSpec): PipedProcess;
  connect(url: string, secret: string, handlers: { open(): void; message(text: string): void; close(): void }): AgentSocket;
  print(line: string): void;
  /** Lines typed in the pane, sent to claude as prompts. */
  typed: AsyncIterable<string> | null;
  palette: Palette;
  sleep(ms: number): Promise<void>;
  /** How long to wait for the hub to store the last frames after claude exits (default: until it has). */
  flushTimeoutMs?: number;
  /**
   * Serves claude's PreToolUse hook with `answer` and writes the spec's settings file;
   * returns the variables claude needs to call it (its secret).
   */
  serveHooks(answer: (payload: unknown) => Promise<Record<string, unknown>>): Promise<{ env: Record<string, string>; stop(): void }>;
  /** The rules' verdict on one tool call. */
  judgeToolUse(call: PreToolUseCall): Promise<PreToolUseVerdict>;
  /**
   * Starts the hub when it is gone (see hub-client/hub-start.ts), or says it was stopped on
   * purpose and is left so. Absent: nothing starts one (tests of the bookkeeping).
   */
  startHub?(): Promise<"running" | "stopped-on-purpose">;
}

const BACKOFF_MS = [250, 500, 1000, 2000];
// A link that dropped and does not come back at the first reconnect means the hub is gone
// (kill -9, a crash): the bridge starts one. One that cannot start is tried again less and
// less often (counted in failed reconnects, ~2 s apart at the top of the backoff), never
// every second. Counted in closes since the last hello: the drop, then each failed reconnect.
const START_HUB_AFTER_CLOSES = 2;
const START_HUB_SPACING = [5, 10, 20, 30];
const SAY_WAITING_AFTER_MS = 1000;
const REMEMBERED_DELIVERIES = 1000;

export async function runBridge(spec: LaunchSpec, deps: BridgeDeps): Promise<number> {
  let counted = 0;
  let base: number | null = null;
  const unacked: { local: number; frame: Record<string, unknown> }[] = [];
  const delivered = new Set<string>();
  let socket: AgentSocket | null = null;
  let ready = false;
  let attempt = 0;
  let finished = false;
  let hubStarting = false;
  let hubStarts = 0;
  let nextHubStart = START_HUB_AFTER_CLOSES;

  const line = (pending: { local: number; frame: Record<string, unknown> }) => encodeFrame({ ...pending.frame, csm_seq: base! + pending.local });
  const emit = (frame: Record<string, unknown>) => {
    counted += 1;
    const pending = { local: counted, frame };
    unacked.push(pending);
    if (socket && ready) socket.send(line(pending));
  };
  const dropThrough = (acked: number) => {
    while (unacked.length > 0 && base! + unacked[0]!.local <= acked) unacked.shift();
  };

  const hooks = await deps.serveHooks(async (payload) => {
    const call = parsePreToolUse(payload);
    if (!call) return {};
    const verdict = await deps.judgeToolUse(call);
    if (verdict.kind === "deny") {
      deps.print(deps.palette.warn(`csm denied ${call.toolName}: ${verdict.decision.reason}`));
      emit({ type: "csm_decision", decision: verdict.decision });
    }
    return preToolUseResponse(verdict);
  });
  // request_id → claude's can_use_tool, until claude gets its answer or withdraws it.
  const openRequests = new Map<string, ClaudeToCsm>();
  const claude = deps.spawnClaude({ ...spec, env: { ...spec.env, ...hooks.env } });
  emit({ type: "csm_bridge", event: { event: "claude_started", pid: claude.pid } });

  const toClaude = (message: CsmToClaude, out?: string) => {
    claude.write(encodeFrame(message));
    if (message.type === "control_response") openRequests.delete(message.response.request_id);
    for (const line of renderSent(message as never, deps.palette)) deps.print(line);
    emit({ type: "csm_sent", message, ...(out ? { out } : {}) });
  };

  const fromHub = new NdjsonDecoder();
  const onHubText = (text: string) => {
    for (const decoded of fromHub.push(text)) {
      if (!decoded.ok) continue;
      const frame = decoded.value as Record<string, unknown>;
      if (frame.type === "csm_hello") {
        base ??= frame.lastSeq as number;
        dropThrough(frame.lastSeq as number);
        ready = true;
        attempt = 0;
        hubStarts = 0;
        nextHubStart = START_HUB_AFTER_CLOSES;
        for (const pending of unacked) socket?.send(line(pending));
        socket?.send(encodeFrame({ type: "csm_open_requests", requests: [...openRequests.values()] }));
      } else if (frame.type === "csm_ack") {
        dropThrough(frame.seq as number);
      } else if (typeof frame.csm_out === "string") {
        const out = frame.csm_out;
        if (delivered.has(out)) {
          emit({ type: "csm_delivered", out });
          continue;
        }
        delivered.add(out);
        if (delivered.size > REMEMBERED_DELIVERIES) delivered.delete(delivered.values().next().value!);
        const { csm_out: _out, ...message } = frame;
        toClaude(message as unknown as CsmToClaude, out);
      }
    }
  };

  const startHubIfGone = () => {
    if (!deps.startHub || hubStarting || finished || attempt < nextHubStart) return;
    const spacing = START_HUB_SPACING[Math.min(hubStarts, START_HUB_SPACING.length - 1)]!;
    nextHubStart = attempt + spacing;
    hubStarts += 1;
    hubStarting = true;
    deps
      .startHub()
      .then(
        (outcome) => {
          if (outcome === "stopped-on-purpose" && hubStarts === 1) deps.print(deps.palette.dim("the csm hub was stopped on purpose; the next csm command starts it again"));
        },
        (error: Error) => deps.print(deps.palette.warn(`could not start the csm hub: ${error.message} (trying again in about ${spacing * 2} s)`)),
      )
      .finally(() => (hubStarting = false));
  };

  const connect = () => {
    if (finished) return;
    ready = false;
    socket = deps.connect(`${spec.agentUrl}?transport=bridge`, spec.secret, {
      open: () => {},
      message: onHubText,
      close: () => {
        socket = null;
        ready = false;
        if (finished) return;
        const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
        attempt += 1;
        startHubIfGone();
        void deps.sleep(delay).then(connect);
      },
    });
  };
  connect();

  if (spec.prompt) toClaude(userMessage(spec.prompt));

  void (async () => {
    if (!deps.typed) return;
    for await (const line of deps.typed) {
      if (finished) break;
      if (line.trim() !== "") toClaude(userMessage(line));
    }
  })();

  const relayStdout = (async () => {
    const decoder = new NdjsonDecoder();
    const handle = (decoded: ReturnType<NdjsonDecoder["push"]>) => {
      for (const line of decoded) {
        if (!line.ok) {
          deps.print(deps.palette.warn(`(unreadable line from claude: ${line.line.slice(0, 200)})`));
          emit({ type: "csm_bridge", event: { event: "protocol_error", line: line.line.slice(0, 500), error: line.error } });
          continue;
        }
        if (isClaudeToCsm(line.value)) {
          const message = line.value as ClaudeToCsm;
          if (isCanUseTool(message)) openRequests.set(message.request_id, message);
          if (message.type === "control_cancel_request") openRequests.delete(message.request_id);
          for (const text of renderClaudeMessage(message, deps.palette)) deps.print(text);
        }
        emit(line.value as Record<string, unknown>);
      }
    };
    for await (const chunk of claude.stdout) handle(decoder.push(chunk));
    handle(decoder.end());
  })();
  const relayStderr = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of claude.stderr) deps.print(deps.palette.dim(decoder.decode(chunk, { stream: true }).trimEnd()));
  })();

  const exit = await claude.exited;
  await Promise.all([relayStdout, relayStderr]);
  emit({ type: "csm_bridge", event: { event: "claude_exited", code: exit.code, signal: exit.signal } });
  deps.print(deps.palette.dim(exit.signal ? `claude was killed by ${exit.signal}` : `claude exited with status ${exit.code}`));
  // claude's last words (its result, cost, exit) matter most: wait until the hub has
  // stored them, however long it is away. Killing the tmux session ends the wait.
  const started = Date.now();
  const deadline = started + (deps.flushTimeoutMs ?? Number.POSITIVE_INFINITY);
  let said = false;
  while (unacked.length > 0 && Date.now() < deadline) {
    if (!said && Date.now() - started > SAY_WAITING_AFTER_MS) {
      deps.print(deps.palette.dim(`waiting for the csm hub to store the last ${unacked.length} event(s)…`));
      said = true;
    }
    await deps.sleep(50);
  }
  finished = true;
  hooks.stop();
  (socket as AgentSocket | null)?.close();
  return exit.code ?? 1;
}
