import { expect, test } from "bun:test";
import type { ToolRule } from "../../src/config/schema.ts";
import { parsePreToolUse, preToolUseResponse, preToolUseVerdict } from "../../src/core/rules/pre-tool-use.ts";
import { composeSettings, parseUserSettings, preToolUseHookSettings } from "../../src/link/hook-settings.ts";

// csm's PreToolUse hook: it only takes power away from claude (deny, or make it ask),
// never allows on its own.

const worktree = "/w";
const judge = (rules: ToolRule[], toolName: string, toolInput: unknown, error: string | null = null) =>
  preToolUseVerdict({ rules, error }, { toolName, toolInput, toolUseId: "toolu_1" }, { worktree });

const denyCat: ToolRule[] = [
  { tool: "Read", pattern: "src/secret.txt", action: "deny" },
  { tool: "Bash", pattern: "cat *", action: "deny" },
  { tool: "Bash", pattern: "git *", action: "allow" },
];

test("a call the rules deny is denied, with the rule in the reason and as a decision event", () => {
  const verdict = judge(denyCat, "Read", { file_path: "/w/src/secret.txt" });
  expect(verdict).toMatchObject({
    kind: "deny",
    decision: { event: "decision", requestId: "toolu_1", toolName: "Read", action: "deny", by: "rule", via: "PreToolUse", ruleIndex: 0 },
  });
  expect(preToolUseResponse(verdict)).toEqual({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringContaining('Denied by csm rule toolApprovalRules[0] (Read "src/secret.txt" → deny)'),
    },
  });
  expect(judge(denyCat, "Bash", { command: "ls && cat src/secret.txt" })).toMatchObject({ kind: "deny", decision: { ruleIndex: 1 } });
});

test("a call the rules allow, or no rule names, passes unchanged: allowing stays with claude and the hub", () => {
  expect(judge(denyCat, "Bash", { command: "git status" })).toEqual({ kind: "pass" });
  expect(judge(denyCat, "Bash", { command: "ls" })).toEqual({ kind: "pass" });
  expect(judge(denyCat, "Read", { file_path: "/w/README.md" })).toEqual({ kind: "pass" });
  expect(preToolUseResponse({ kind: "pass" })).toEqual({});
});

test("an explicit ask rule makes claude ask, even for a tool it would run on its own", () => {
  const verdict = judge([{ tool: "Bash", pattern: "ls *", action: "ask" }], "Bash", { command: "ls -la" });
  expect(verdict.kind).toBe("ask");
  expect(preToolUseResponse(verdict)).toMatchObject({ hookSpecificOutput: { permissionDecision: "ask" } });
});

test("an input csm cannot split is asked when a deny rule might apply, and passes when none could", () => {
  const unsplittable = { command: "cat <(echo src/secret.txt)" };
  expect(judge(denyCat, "Bash", unsplittable)).toMatchObject({ kind: "ask", reason: expect.stringContaining("a deny rule for Bash might apply") });
  expect(judge([{ tool: "Read", action: "deny" }], "Bash", unsplittable)).toEqual({ kind: "pass" });
  expect(judge([{ tool: "*", pattern: "*secret*", action: "deny" }], "Bash", unsplittable).kind).toBe("ask");
});

test("a broken rule list makes every call a question for a person", () => {
  expect(judge([], "Read", { file_path: "/w/a" }, "toolApprovalRules[0].action: must be allow, deny or ask")).toMatchObject({
    kind: "ask",
    reason: expect.stringContaining("rule list is unusable"),
  });
});

test("only PreToolUse payloads are read", () => {
  expect(parsePreToolUse({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "ls" }, tool_use_id: "t" })).toEqual({
    toolName: "Bash",
    toolInput: { command: "ls" },
    toolUseId: "t",
  });
  expect(parsePreToolUse({ hook_event_name: "PostToolUse", tool_name: "Bash" })).toBeNull();
  expect(parsePreToolUse("nonsense")).toBeNull();
});

test("csm's hooks are added to the user's own --settings, never replacing theirs", () => {
  const theirs = { model: "opus", hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "their-check" }] }], Stop: [{ hooks: [] }] } };
  const ours = preToolUseHookSettings("http://127.0.0.1:9/hooks/pre-tool-use", "CSM_HOOK_SECRET");
  const merged = composeSettings([theirs], ours) as { model: string; hooks: Record<string, { matcher?: string; hooks: { type: string; onFailure?: string; headers?: Record<string, string> }[] }[]> };
  expect(merged.model).toBe("opus");
  expect(merged.hooks.Stop).toHaveLength(1);
  expect(merged.hooks.PreToolUse!.map((m) => m.matcher)).toEqual(["Bash", "*"]);
  const hook = merged.hooks.PreToolUse![1]!.hooks[0]!;
  // The hook fails closed, and the secret is not in the file, only the variable's name.
  expect(hook).toMatchObject({ type: "http", onFailure: "block", headers: { Authorization: "Bearer $CSM_HOOK_SECRET" } });
  expect(composeSettings([JSON.parse('{"__proto__": {"polluted": true}}')], ours)).not.toHaveProperty("polluted");
  // The user's disableAllHooks would switch csm's hook off too: csm's file, which wins, says false.
  expect(composeSettings([{ disableAllHooks: true }], ours)).toMatchObject({ disableAllHooks: false });
});

test("a --settings value is JSON or a file path relative to claude's cwd", () => {
  const read = (path: string) => (path === "/w/conf/s.json" ? '{"a":1}' : "");
  expect(parseUserSettings("conf/s.json", read, "/w")).toEqual({ a: 1 });
  expect(parseUserSettings('{"b":2}', read, "/w")).toEqual({ b: 2 });
  expect(() => parseUserSettings("[1]", () => "[1]", "/w")).toThrow(/not a JSON object/);
});

test("settleAllows (a native session): an allow rule answers allow at PreToolUse, named; without it the call passes on", () => {
  const rules: ToolRule[] = [{ tool: "Bash", pattern: "touch *", action: "allow" }];
  const call = { toolName: "Bash", toolInput: { command: "touch x" }, toolUseId: "toolu_1" };
  expect(preToolUseVerdict({ rules, error: null }, call, { worktree })).toEqual({ kind: "pass" });
  const settled = preToolUseVerdict({ rules, error: null }, call, { worktree, settleAllows: true });
  expect(settled).toMatchObject({ kind: "allow", decision: { event: "decision", action: "allow", by: "rule", via: "PreToolUse", ruleIndex: 0, requestId: "toolu_1", toolName: "Bash" } });
  expect(preToolUseResponse(settled)).toEqual({
    hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow", permissionDecisionReason: expect.stringContaining("Allowed by csm rule") },
  });
  // A call no rule covers is still claude's to ask about.
  expect(preToolUseVerdict({ rules, error: null }, { ...call, toolInput: { command: "rm x" } }, { worktree, settleAllows: true })).toEqual({ kind: "pass" });
});
