import type { ToolRule } from "../../src/config/schema.ts";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateRules } from "../../src/core/rules/index.ts";
import { parsePreToolUse, preToolUseResponse, preToolUseVerdict } from "../../src/core/rules/pre-tool-use.ts";
import { RuleSource } from "../../src/core/rules/rule-source.ts";
import { resolveRealPath } from "../../src/host/real-path.ts";
import { startHookServer } from "../../src/link/hook-server.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { connectAgent, startHub } from "./hub.ts";
import { formatTable, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// Tool approval: the time from a can_use_tool on the agent socket to the hub's
// control_response when a rule decides (goal p99 ≤ 5 ms), the PreToolUse hook's round
// trip as claude makes it (goal p99 ≤ 10 ms), and the rules engine alone.

const REQUESTS = 1000;
const GOAL_P99_MS = 5;
const HOOK_GOAL_P99_MS = 10;
const RULES = 200;

function twoHundredRules(): ToolRule[] {
  const rules: ToolRule[] = [];
  for (let i = 0; rules.length < RULES; i++) {
    rules.push({ tool: "Bash", pattern: `tool${i} *`, action: "allow" });
    rules.push({ tool: "Read", pattern: `dir${i}/**/*.ts`, action: "allow" });
  }
  return rules;
}

async function decisionLatency(): Promise<string> {
  await using sb = await makeSandbox();
  // The deciding rule is the last of 200, so every request walks the whole list.
  await sb.writeConfig(({ toolApprovalRules: [...twoHundredRules().slice(0, RULES - 1), { tool: "Bash", pattern: "echo *", action: "allow" }] }));
  const hub = await startHub(sb, 1);
  try {
    const agent = connectAgent(hub.port, "agent-0", hub.secrets[0]!);
    await agent.ready;
    const answered = new Map<string, () => void>();
    agent.listeners.push((text) => {
      for (const line of text.split("\n")) {
        if (!line.includes('"control_response"')) continue;
        const frame = JSON.parse(line) as { csm_out?: string; response: { request_id: string } };
        answered.get(frame.response.request_id)?.();
        // Confirm delivery, as the bridge does, so the hub does not wait on it.
        agent.seq += 1;
        agent.socket.send(`${JSON.stringify({ type: "csm_sent", message: frame, out: frame.csm_out, csm_seq: agent.seq })}\n`);
      }
    });
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const requestId = `r-${i}`;
      agent.seq += 1;
      const frame = { type: "control_request", request_id: requestId, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: `echo ${i}` }, tool_use_id: `t${i}` }, csm_seq: agent.seq };
      const done = new Promise<void>((resolve) => answered.set(requestId, resolve));
      const started = performance.now();
      agent.socket.send(`${JSON.stringify(frame)}\n`);
      await done;
      samples.push(performance.now() - started);
    }
    agent.socket.close();
    const p99 = percentile(samples, 0.99);
    return [
      formatTable(
        ["figure", "p50", "p99", "max"],
        [[`can_use_tool → control_response, decided by rule ${RULES} of ${RULES} (${REQUESTS} requests, one socket)`, ms(percentile(samples, 0.5)), ms(p99), ms(Math.max(...samples))]],
      ),
      `goal p99 <= ${GOAL_P99_MS} ms: ${p99 <= GOAL_P99_MS ? "met" : "NOT met"}`,
    ].join("\n");
  } finally {
    await hub.stop();
  }
}

/**
 * What the bridge does for each of claude's PreToolUse calls, over real HTTP: the hook
 * server, its secret check, the rules from the config file (200, the deciding one last),
 * symlinks resolved on a real worktree. The client stands in for claude.
 */
async function hookRoundTrip(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "csm-bench-hook-"));
  try {
    const worktree = join(dir, "worktree");
    mkdirSync(join(worktree, "src", "deep"), { recursive: true });
    const configFile = join(dir, "config.json");
    const rules = [...twoHundredRules().slice(0, RULES - 2), { tool: "Bash", pattern: "cat *", action: "deny" }, { tool: "Read", pattern: "src/deep/secret.txt", action: "deny" }];
    writeFileSync(configFile, JSON.stringify({ toolApprovalRules: rules }));
    const source = new RuleSource(configFile);
    const secret = "b".repeat(64);
    const server = startHookServer(secret, async (payload) => {
      const call = parsePreToolUse(payload);
      return call ? preToolUseResponse(preToolUseVerdict(await source.get(), call, { worktree, realPath: resolveRealPath })) : {};
    });
    const cases = [
      { label: "Bash denied by rule 199 of 200", tool_name: "Bash", tool_input: { command: "ls && cat src/secret.txt" } },
      { label: "Read denied by rule 200 of 200 (real path)", tool_name: "Read", tool_input: { file_path: join(worktree, "src/deep/secret.txt") } },
      { label: "Bash no rule matches: passes", tool_name: "Bash", tool_input: { command: "npm test -- --watch=false" } },
    ];
    const rows: string[][] = [];
    let worst = 0;
    for (const { label, ...body } of cases) {
      const call = () =>
        fetch(server.url, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ hook_event_name: "PreToolUse", session_id: "s", cwd: worktree, tool_use_id: "t", ...body }),
        }).then((response) => response.json());
      for (let i = 0; i < 50; i++) await call();
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        await call();
        samples.push(performance.now() - started);
      }
      worst = Math.max(worst, percentile(samples, 0.99));
      rows.push([label, ms(percentile(samples, 0.5)), ms(percentile(samples, 0.99)), ms(Math.max(...samples))]);
    }
    server.stop();
    return [
      formatTable([`PreToolUse hook round trip (${REQUESTS} calls each, HTTP, as the bridge serves it)`, "p50", "p99", "max"], rows),
      `goal p99 <= ${HOOK_GOAL_P99_MS} ms: ${worst <= HOOK_GOAL_P99_MS ? "met" : "NOT met"}`,
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function engineThroughput(): string {
  const rules = twoHundredRules();
  const cases = [
    { toolName: "Bash", input: { command: "tool150 a && unknown $(x) | y" } },
    { toolName: "Bash", input: { command: "npm test" } },
    { toolName: "Read", input: { file_path: "dir99/a/b.ts" } },
  ];
  const rows: string[][] = [];
  for (const context of cases) {
    for (let i = 0; i < 1000; i++) evaluateRules(rules, { ...context, worktree: "/w" });
    const count = 20_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) evaluateRules(rules, { ...context, worktree: "/w" });
    const perCall = (performance.now() - started) / count;
    rows.push([`${context.toolName} ${JSON.stringify(Object.values(context.input)[0])}`, `${(perCall * 1000).toFixed(1)} µs`, `${Math.round(1000 / perCall).toLocaleString("en")}/s`]);
  }
  return formatTable([`rules engine, ${RULES} rules`, "per decision", "throughput"], rows);
}

export const rulesSection: BenchSection = {
  name: "rules",
  title: `tool approval: rule-decided request latency (goal p99 <= ${GOAL_P99_MS} ms), PreToolUse hook round trip (goal p99 <= ${HOOK_GOAL_P99_MS} ms), rules engine throughput`,
  async run() {
    return `${await decisionLatency()}\n\n${await hookRoundTrip()}\n\n${engineThroughput()}`;
  },
};
