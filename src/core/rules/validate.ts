import type { RuleAction, ToolRule } from "../../config/schema.ts";
import { CsmError } from "../../shared/errors.ts";
import { normalisePathPattern, PatternError, patternMatcher } from "./patterns.ts";
import { subjectKindsOf } from "./primary-input.ts";

// Checks a rule list before it is used. A broken rule refuses the whole list: skipping it
// would quietly turn a `deny` the user wrote into an `ask` or, worse, let a later `allow`
// decide.

export const RULE_ACTIONS: readonly RuleAction[] = ["allow", "deny", "ask"];
const TOOL_NAME = /^[A-Za-z0-9_.:-]+$/;
const RULE_FIELDS = ["tool", "pattern", "action"];
// Claude's tool names are case-sensitive, so `bash` would silently never match.
const KNOWN_TOOLS = [
  "Bash", "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Grep", "Glob", "WebFetch", "WebSearch",
  "Task", "TodoWrite", "LS", "NotebookRead", "BashOutput", "KillShell", "ExitPlanMode", "SlashCommand", "Skill",
];

export const rulesInvalidError = (source: string, index: number, field: string | null, problem: string) => {
  const where = `${source}[${index}]${field ? `.${field}` : ""}`;
  return new CsmError("RulesInvalid", `${where}: ${problem} (fix the rule; csm refuses the whole rule list rather than skip one)`, {
    data: { source, index, field },
  });
};

/**
 * Throws a RulesInvalid error naming the first bad rule (by index) and what is wrong
 * with it. `source` names the list in the message, e.g. the config file and field.
 */
export function validateRules(rules: unknown, source = "toolApprovalRules"): asserts rules is ToolRule[] {
  if (!Array.isArray(rules)) {
    throw new CsmError("RulesInvalid", `${source}: must be an array of rules {tool, pattern?, action}`, { data: { source } });
  }
  rules.forEach((rule, index) => {
    const problem = ruleProblem(rule);
    if (problem) throw rulesInvalidError(source, index, problem.field, problem.message);
  });
}

/** A rule someone is adding (not one read from the file): a bad one is bad input, the file untouched. */
export function checkNewRule(rule: unknown): asserts rule is ToolRule {
  const problem = ruleProblem(rule);
  if (problem) throw new CsmError("BadField", `the new rule's ${problem.field ?? "shape"}: ${problem.message}`, { data: { field: problem.field } });
}

function ruleProblem(rule: unknown): { field: string | null; message: string } | null {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) {
    return { field: null, message: "must be an object {tool, pattern?, action}" };
  }
  const fields = rule as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !RULE_FIELDS.includes(key));
  if (unknown) return { field: unknown, message: `unknown field (known: ${RULE_FIELDS.join(", ")})` };
  const tool = toolProblem(fields.tool);
  if (tool) return { field: "tool", message: tool };
  if (!RULE_ACTIONS.includes(fields.action as RuleAction)) {
    return { field: "action", message: `must be allow, deny or ask (got ${JSON.stringify(fields.action) ?? "nothing"})` };
  }
  if (fields.pattern === undefined) return null;
  const pattern = patternProblem(fields.tool as string, fields.pattern);
  return pattern ? { field: "pattern", message: pattern } : null;
}

function toolProblem(tool: unknown): string | null {
  if (typeof tool !== "string" || tool === "") return 'must be a tool name such as "Bash" or "*" for every tool';
  if (tool === "*") return null;
  if (!TOOL_NAME.test(tool)) {
    return `${JSON.stringify(tool)} is not a tool name: use "*" or letters, digits and _ . : - (e.g. "Bash", "mcp__github__create_issue")`;
  }
  const meant = KNOWN_TOOLS.find((known) => known !== tool && known.toLowerCase() === tool.toLowerCase());
  return meant ? `tool names are case-sensitive: did you mean ${JSON.stringify(meant)}?` : null;
}

function patternProblem(tool: string, pattern: unknown): string | null {
  if (typeof pattern !== "string") return "must be a string (leave it out to match every input)";
  if (pattern === "") return "must not be empty (leave it out to match every input)";
  if (pattern.includes("\0")) return "must not contain NUL";
  const kinds = subjectKindsOf(tool);
  for (const kind of kinds) {
    try {
      patternMatcher(pattern, kind);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      const also = kinds.length > 1 ? ` (a ${JSON.stringify(tool)} rule's pattern is matched against ${kind === "path" ? "file paths" : "text"} too)` : "";
      return `${JSON.stringify(pattern)} ${error.message}${also}`;
    }
  }
  const normal = normalisePathPattern(pattern);
  if (kinds.length === 1 && kinds[0] === "path" && !normal.startsWith("/") && normal.split("/").includes("..")) {
    return `${JSON.stringify(pattern)} can never match: relative patterns only match inside the worktree; use an absolute pattern for paths outside it`;
  }
  return null;
}
