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
