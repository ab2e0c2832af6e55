import { expect, test } from "bun:test";
import type { Context } from "../../src/core/context.ts";
import type { RuleSource } from "../../src/core/rules/rule-source.ts";
import type { AgentLinks } from "../../src/hub/agent-link.ts";
import { Approvals } from "../../src/hub/approvals.ts";
import type { LiveSessions } from "../../src/hub/live-sessions.ts";

// A rule's decision and a person's answer to the same request: claude gets one answer.

test("a person who answers while the rules are still being read is the only answer claude gets", async () => {
  const request = { requestId: "r1", toolName: "Bash", input: { command: "ls" }, toolUseId: "t1", description: null, suggestions: [], blockedPath: null, receivedAt: "2026-11-30T00:00:00.000Z" };
  let pending = [request];
  const sent: unknown[] = [];
  const recorded: unknown[] = [];
  const live = {
    state: () => ({ pending }),
    record: (_session: string, events: unknown[]) => void recorded.push(...events),
  } as unknown as LiveSessions;
  const links = {
    waitForLink: async () => true,
    send: async (_session: string, message: unknown) => {
      sent.push(message);
      // claude took the answer: the request is no longer pending.
      pending = [];
    },
  } as unknown as AgentLinks;
  let giveRules!: (value: { rules: { tool: string; action: string }[]; error: null }) => void;
  const rules = { get: () => new Promise((resolve) => (giveRules = resolve)) } as unknown as RuleSource;
  const ctx = { sessions: () => ({ get: () => ({ worktree: "/w" }) }), host: { hostName: "local" } } as unknown as Context;
  const approvals = new Approvals(ctx, live, links, rules);

  const byRules = approvals.onToolRequest("api", { type: "control_request", request_id: "r1", request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "ls" }, tool_use_id: "t1" } } as never);
  await approvals.answer("api", "r1", "deny", { message: "not now" });
  giveRules({ rules: [{ tool: "Bash", action: "allow" }], error: null });
  await byRules;
  expect(sent).toHaveLength(1);
  expect(JSON.stringify(sent[0])).toContain("not now");
});

test("a session csm has no record of (killed while its claude asks): allow rules, whose paths mean its worktree, never decide; deny rules still do", async () => {
  const sent: unknown[] = [];
  const pending = ["/etc/passwd", "/etc/shadow"].map((file_path, i) => ({ requestId: `r${i + 1}`, toolName: "Read", input: { file_path }, toolUseId: `r${i + 1}`, description: null, suggestions: [], blockedPath: null, receivedAt: "2026-11-30T00:00:00.000Z" }));
  const live = { state: () => ({ pending }), record: () => undefined } as unknown as LiveSessions;
  const links = { waitForLink: async () => true, send: async (_session: string, message: unknown) => void sent.push(message) } as unknown as AgentLinks;
  const rules = {
    get: async () => ({
      rules: [
        { tool: "Read", pattern: "/etc/shadow", action: "deny" },
        { tool: "Read", pattern: "**", action: "allow" },
      ],
      error: null,
    }),
  } as unknown as RuleSource;
  const ctx = { sessions: () => ({ get: () => null }), host: { hostName: "local" } } as unknown as Context;
  const approvals = new Approvals(ctx, live, links, rules);
  const ask = (id: string, file_path: string) =>
    approvals.onToolRequest("gone", { type: "control_request", request_id: id, request: { subtype: "can_use_tool", tool_name: "Read", input: { file_path }, tool_use_id: id } } as never);

  await ask("r1", "/etc/passwd");
  expect(sent).toHaveLength(0);
  await ask("r2", "/etc/shadow");
  expect(JSON.stringify(sent)).toContain("deny");
});
