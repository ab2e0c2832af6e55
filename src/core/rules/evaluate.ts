import type { RuleAction, ToolRule } from "../../config/schema.ts";
import { allowRisk } from "./command-runners.ts";
import { type CompiledRule, compileRules } from "./compile.ts";
import { describeSubject, primaryInput, type RealPath, type Subject } from "./primary-input.ts";

// Decides a tool request from the rules: first matching rule wins, no match asks.
//
// A request is split into parts (one per subject, see primary-input.ts): a Bash command
// into its simple commands, Grep and Glob into pattern and path. Each part is decided on
// its own; the request is denied if any part is denied, allowed only if every part is
// allowed, and asked otherwise. An input that cannot be split with confidence is asked,
// unless the first rule for the tool has no pattern (it would decide every part anyway).

export interface EvaluationContext {
  toolName: string;
  input: unknown;
  /** Absolute path of the session's worktree; relative paths are resolved against it. */
  worktree: string;
  /**
   * Where a path really leads (symlinks followed); given, path rules decide on that.
   * It may throw when it cannot tell: the path is then asked. See path-subject.ts.
   */
  realPath?: RealPath;
}

export interface PartDecision {
  /** The part as shown to a person: a simple command, a worktree-relative path, … */
  subject: string;
  action: RuleAction;
  ruleIndex: number | null;
  rule: ToolRule | null;
  reason: string;
}

export interface RuleDecision {
  action: RuleAction;
  /** The rule that settled the request: the first denied part's, else the first asked part's, else the first part's. */
  ruleIndex: number | null;
  rule: ToolRule | null;
  reason: string;
  /** One decision per part, in the order the parts were written; empty when the input could not be split. */
  parts: PartDecision[];
}

export function evaluateRules(rules: readonly ToolRule[], context: EvaluationContext): RuleDecision {
  const compiled = compileRules(rules);
  const input = primaryInput(context.toolName, context.input, context.worktree, context.realPath);
  if (!input.ok) return decideUnsplittable(compiled, context.toolName, input.reason);
  if (input.subjects.length === 0) {
    return { action: "ask", ruleIndex: null, rule: null, reason: "the command is empty", parts: [] };
  }
  const parts = input.subjects.map((subject) => decideSubject(compiled, context.toolName, subject));
  return combine(parts);
}

/** The first rule (in order) that matches one part of a request decides it. */
export function decideSubject(compiled: readonly CompiledRule[], toolName: string, subject: Subject): PartDecision {
  const shown = describeSubject(subject);
  const match = compiled.find((candidate) => candidate.matches(toolName, subject));
  if (!match) return { subject: shown, action: "ask", ruleIndex: null, rule: null, reason: `no rule matches ${JSON.stringify(shown)}` };
  const reason = `${describeRule(match.rule, match.index)} matches ${JSON.stringify(shown)}`;
  // A broad allow is meant for the command itself, not for what it can be told to run.
  const risk = match.rule.action === "allow" && toolName === "Bash" && subject.kind === "text" ? allowRisk(match.rule.pattern, subject.value) : null;
  if (risk) return { subject: shown, action: "ask", ruleIndex: null, rule: null, reason: `${reason}, but ${risk}` };
  return { subject: shown, action: match.rule.action, ruleIndex: match.index, rule: match.rule, reason };
}

/** `toolApprovalRules[2] (Bash "git *" → allow)`: how a rule is named in every reason. */
export function describeRule(rule: ToolRule, index: number): string {
  const input = rule.pattern === undefined ? "any input" : JSON.stringify(rule.pattern);
  return `toolApprovalRules[${index}] (${rule.tool} ${input} → ${rule.action})`;
}

function combine(parts: PartDecision[]): RuleDecision {
  if (parts.length === 1) {
    const [only] = parts;
    return { action: only.action, ruleIndex: only.ruleIndex, rule: only.rule, reason: only.reason, parts };
  }
  const denied = parts.find((part) => part.action === "deny");
  if (denied) return settledBy(denied, "deny", `${denied.reason}; one denied part denies the whole request`, parts);
  const asked = parts.find((part) => part.action !== "allow");
  if (asked) return settledBy(asked, "ask", `${asked.reason}; a request is allowed only if every part is`, parts);
  const why = parts.map((part) => `${JSON.stringify(part.subject)} by toolApprovalRules[${part.ruleIndex}]`).join(", ");
  return settledBy(parts[0], "allow", `all ${parts.length} parts are allowed: ${why}`, parts);
}

function settledBy(part: PartDecision, action: RuleAction, reason: string, parts: PartDecision[]): RuleDecision {
  return { action, ruleIndex: part.ruleIndex, rule: part.rule, reason, parts };
}

function decideUnsplittable(compiled: readonly CompiledRule[], toolName: string, why: string): RuleDecision {
  const first = compiled.find((candidate) => candidate.appliesTo(toolName));
  if (first && first.rule.pattern === undefined) {
    const reason = `${why}; ${describeRule(first.rule, first.index)} applies to every ${toolName} input`;
    return { action: first.rule.action, ruleIndex: first.index, rule: first.rule, reason, parts: [] };
  }
  return { action: "ask", ruleIndex: null, rule: null, reason: why, parts: [] };
}
