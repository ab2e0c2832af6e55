import type { ToolRule } from "../../config/schema.ts";
import { compileRules } from "./compile.ts";
import { describeRule, evaluateRules, type RuleDecision } from "./evaluate.ts";

// What csm's PreToolUse hook answers for one tool call, before claude runs it.
//
// claude runs tools it deems read-only (Read, `ls`, `cat`…) without asking anyone, so
// can_use_tool alone never sees them: a deny rule for `cat *` would not hold. The hook
// sees every call. It only ever takes power away from claude: a call the rules deny is
// denied; a call an explicit `ask` rule covers, or one the rules cannot judge while a
// deny rule might apply, is turned into a question (claude then sends can_use_tool and
// the hub puts it to a person); anything else passes unchanged, so allowing stays with
// claude's own flow and the hub's can_use_tool rules. Pure: the caller brings the rules.

export interface PreToolUseCall {
  toolName: string;
  toolInput: unknown;
  toolUseId: string | null;
}

export interface RulesAtHand {
  rules: readonly ToolRule[];
  /** Set when the rule list is unusable: then no rule applies, and every call is asked. */
  error: string | null;
}

export type PreToolUseVerdict =
  | { kind: "pass" }
  | { kind: "ask"; reason: string }
  | { kind: "deny"; decision: HookDenyDecision }
  /** Only with `settleAllows` (a native session): an allow rule answers here, so claude shows no dialog. */
  | { kind: "allow"; decision: HookAllowDecision };

/** Recorded in the session's event log like the hub's own decisions (`csm logs`). */
export interface HookDenyDecision {
  event: "decision";
  /** claude's tool_use id: a PreToolUse call has no control request id. */
  requestId: string;
  toolName: string;
  action: "deny";
  by: "rule";
  via: "PreToolUse";
  ruleIndex: number;
  rule: ToolRule;
  reason: string;
  message: string;
}

export type HookAllowDecision = Omit<HookDenyDecision, "action"> & { action: "allow" };

/**
 * `settleAllows`: a native session's claude asks through its own dialog, which a rule's
 * answer at PermissionRequest time would only close after it showed; an allow rule answers
 * at PreToolUse instead. claude's own deny rules still hold over a hook's allow (checked
 * against claude 2.1.330), so this never lets through what the user's claude settings refuse.
 */
export function preToolUseVerdict(
  available: RulesAtHand,
  call: PreToolUseCall,
  context: { worktree: string; realPath?: (path: string) => string; settleAllows?: boolean },
): PreToolUseVerdict {
  if (available.error) return { kind: "ask", reason: `csm's rule list is unusable, so a person decides: ${available.error}` };
  const decision = evaluateRules(available.rules, { toolName: call.toolName, input: call.toolInput, worktree: context.worktree, realPath: context.realPath });
  if (decision.action === "deny") return { kind: "deny", decision: { ...ruleDecision(call, decision), action: "deny" } };
  if (decision.action === "allow") return context.settleAllows ? { kind: "allow", decision: { ...ruleDecision(call, decision), action: "allow" } } : { kind: "pass" };
  if (decision.ruleIndex !== null) return { kind: "ask", reason: `${decision.reason}: a person decides` };
  // An input csm could not split (parts is empty) might hide a part a deny rule names.
  if (decision.parts.length === 0 && mightBeDenied(available.rules, call.toolName)) {
    return { kind: "ask", reason: `${decision.reason}, and a deny rule for ${call.toolName} might apply: a person decides` };
  }
  return { kind: "pass" };
}

function mightBeDenied(rules: readonly ToolRule[], toolName: string): boolean {
  return compileRules(rules).some((compiled) => compiled.rule.action === "deny" && compiled.appliesTo(toolName));
}

/** What a rule decided at PreToolUse, for the log; its message is what claude (and the model) is told. */
function ruleDecision(call: PreToolUseCall, decision: RuleDecision): Omit<HookDenyDecision, "action"> {
  const rule = decision.rule!;
  const ruleIndex = decision.ruleIndex!;
  const verb = decision.action === "allow" ? "Allowed" : "Denied";
  return {
    event: "decision",
    requestId: call.toolUseId ?? "",
    toolName: call.toolName,
    by: "rule",
    via: "PreToolUse",
    ruleIndex,
    rule,
    reason: decision.reason,
    message: `${verb} by csm rule ${describeRule(rule, ruleIndex)}: ${decision.reason}`,
  };
}

/** The body claude expects back from an HTTP PreToolUse hook; `{}` lets the call go on. */
export function preToolUseResponse(verdict: PreToolUseVerdict): Record<string, unknown> {
  if (verdict.kind === "pass") return {};
  const permissionDecision = verdict.kind;
  const permissionDecisionReason = verdict.kind === "ask" ? verdict.reason : verdict.decision.message;
  return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision, permissionDecisionReason } };
}

/** Reads the fields csm needs from claude's hook payload; null when it is not a PreToolUse call. */
export function parsePreToolUse(payload: unknown): PreToolUseCall | null {
  if (typeof payload !== "object" || payload === null) return null;
  const fields = payload as Record<string, unknown>;
  if (fields.hook_event_name !== "PreToolUse" || typeof fields.tool_name !== "string") return null;
  return { toolName: fields.tool_name, toolInput: fields.tool_input ?? {}, toolUseId: typeof fields.tool_use_id === "string" ? fields.tool_use_id : null };
}
