import { parsePreToolUse, preToolUseResponse, type PreToolUseCall, type PreToolUseVerdict } from "../core/rules/pre-tool-use.ts";
import type { PipedProcess } from "../host/runner.ts";
import { openHubLink, type HubLinkDeps } from "./hub-link.ts";
import type { LaunchSpec } from "./launch.ts";
import { encodeFrame, NdjsonDecoder } from "./ndjson.ts";
import { DECISION_FIELD, isCanUseTool, isClaudeToCsm, userMessage, type ClaudeToCsm, type CsmToClaude } from "./protocol.ts";
import { renderClaudeMessage, renderSent } from "./render.ts";

/** How many answered or withdrawn tool requests the bridge remembers, to refuse a second answer. */
const SETTLED_REMEMBERED = 1000;

export type { AgentSocket } from "./hub-link.ts";

// The stdio bridge: runs claude with stream-json on stdio and relays it to the hub's
// agent socket (link/hub-link.ts: numbered, acknowledged, resent after a relink), for every
// claude version (≥ 2.1.121 refuses a local --sdk-url). The first prompt comes from the
// launch spec, so it does not depend on the hub.
//
// The bridge remembers the tool requests claude is still waiting on, for the hub-link's
// report after each hello.
//
// The bridge also answers claude's PreToolUse hook (see core/rules/pre-tool-use.ts) from
// the rules, before claude runs any tool, so a deny rule holds for the tools claude runs
// without asking, and holds while the hub is away. A denial is reported to the hub like
// any frame, so it lands in the event log exactly once.

export interface BridgeDeps extends HubLinkDeps {
  spawnClaude(spec: LaunchSpec): PipedProcess;
  /** Lines typed in the pane, sent to claude as prompts. */
  typed: AsyncIterable<string> | null;
  /** How long to wait for the hub to store the last frames after claude exits (default: until it has). */
  flushTimeoutMs?: number;
  /**
   * Serves claude's PreToolUse hook with `answer` and writes the spec's settings file;
   * returns the variables claude needs to call it (its secret).
   */
  serveHooks(answer: (payload: unknown) => Promise<Record<string, unknown>>): Promise<{ env: Record<string, string>; stop(): void }>;
  /** The rules' verdict on one tool call. */
  judgeToolUse(call: PreToolUseCall): Promise<PreToolUseVerdict>;
}

export async function runBridge(spec: LaunchSpec, deps: BridgeDeps): Promise<number> {
  // request_id → claude's can_use_tool, until claude gets its answer or withdraws it.
  const openRequests = new Map<string, ClaudeToCsm>();
  // Tool requests answered or withdrawn: a second answer from the hub (one that restarted
  // before hearing of the first) must never reach claude, nor be logged as what it got.
  const settled = new Set<string>();
  const settle = (requestId: string) => {
    openRequests.delete(requestId);
    settled.add(requestId);
    if (settled.size > SETTLED_REMEMBERED) settled.delete(settled.values().next().value!);
  };
  let toClaude: (message: CsmToClaude, out?: string) => void = () => {};
  const link = openHubLink({ agentUrl: spec.agentUrl, secret: spec.secret, transport: "bridge" }, deps, {
    openRequests: () => [...openRequests.values()],
    deliver: (message, out) => {
      const answered = message.type === "control_response" ? message.response.request_id : null;
      if (answered !== null && settled.has(answered)) {
        emit({ type: "csm_undeliverable", out, reason: `claude no longer waits on request ${answered}: it was answered already, or withdrawn` });
        return;
      }
      toClaude(message, out);
    },
  });
  const emit = link.emit;

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
  const claude = deps.spawnClaude({ ...spec, env: { ...spec.env, ...hooks.env } });
  emit({ type: "csm_bridge", event: { event: "claude_started", pid: claude.pid } });

  toClaude = (message: CsmToClaude, out?: string) => {
    // The decision is the log's, not claude's: it goes back to the hub in the report below.
    const { [DECISION_FIELD]: _decision, ...forClaude } = message as CsmToClaude & { [DECISION_FIELD]?: unknown };
    claude.write(encodeFrame(forClaude));
    if (message.type === "control_response" && openRequests.has(message.response.request_id)) settle(message.response.request_id);
    for (const line of renderSent(message as never, deps.palette)) deps.print(line);
    emit({ type: "csm_sent", message, ...(out ? { out } : {}) });
  };

  if (spec.prompt) toClaude(userMessage(spec.prompt));

  let finished = false;
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
          if (message.type === "control_cancel_request" && openRequests.has(message.request_id)) settle(message.request_id);
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
  await link.flush(deps.flushTimeoutMs ?? Number.POSITIVE_INFINITY);
  finished = true;
  hooks.stop();
  link.close();
  return exit.code ?? 1;
}
