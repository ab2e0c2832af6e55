import type { ToolRule } from "../../config/schema.ts";
import { CsmError } from "../../shared/errors.ts";
import { splitBashCommand } from "./bash-split.ts";
import { compileRules } from "./compile.ts";
import { decideSubject } from "./evaluate.ts";
import { patternMatcher } from "./patterns.ts";
import { primaryInput, type RealPath, type Subject, subjectKindsOf } from "./primary-input.ts";

// The rules `--always` adds when a person approves or denies a request: for every part
// the current rules do not already settle, the part itself (a Bash simple command exactly,
// a worktree-relative path) or, when approving Bash, the prefix claude suggested in
// `permission_suggestions`. The result, evaluated on the same request, gives the action.

export interface AlwaysRuleRequest {
  toolName: string;
  input: unknown;
  /** `permission_suggestions` as claude sent them; shapes csm does not know are ignored. */
  permissionSuggestions?: unknown;
  /** Absolute path of the session's worktree. */
  worktree: string;
  /** As in evaluateRules: rules are built for the real path a request leads to. */
  realPath?: RealPath;
}

export type AlwaysAction = "allow" | "deny";

export const ruleNotBuildableError = (toolName: string, why: string) =>
  new CsmError("RuleNotBuildable", `cannot build an --always rule for this ${toolName} request: ${why}; approve or deny it once instead`, {
    data: { toolName },
  });

export function buildAlwaysRules(request: AlwaysRuleRequest, action: AlwaysAction, currentRules: readonly ToolRule[] = []): ToolRule[] {
  const { toolName } = request;
  const input = primaryInput(toolName, request.input, request.worktree, request.realPath);
  if (!input.ok) throw ruleNotBuildableError(toolName, input.reason);
  if (input.subjects.length === 0) throw ruleNotBuildableError(toolName, "the command is empty");
  const current = compileRules(currentRules);
  const settled = (subject: Subject) => decideSubject(current, toolName, subject).action;
  // When denying, parts the rules already allow are not what the person objected to.
  const open = input.subjects.filter((subject) => settled(subject) !== action && (action === "allow" || settled(subject) !== "allow"));
  const targets = open.length > 0 ? open : input.subjects.filter((subject) => settled(subject) !== action);
  const suggested = action === "allow" && toolName === "Bash" ? suggestedBashPatterns(request.permissionSuggestions) : [];

  const patterns: string[] = [];
  const covered = (subject: Subject, candidates: string[]) => candidates.some((pattern) => patternMatcher(pattern, subject.kind)(subject));
  for (const subject of targets) {
    if (covered(subject, patterns)) continue;
    const suggestion = suggested.find((group) => covered(subject, group));
    patterns.push(...(suggestion ?? [exactPattern(subject, toolName)]));
  }
  return [...new Set(patterns)].map((pattern) => ({ tool: toolName, pattern, action }));
}

/**
 * The rule list with `added` in force: added denies go first, added allows right after
 * the last existing deny, so an --always approval beats older asks but never a deny the
 * user wrote. Older copies of an added rule are dropped.
 */
export function withAlwaysRules(current: readonly ToolRule[], added: readonly ToolRule[]): ToolRule[] {
  const same = (a: ToolRule, b: ToolRule) => a.tool === b.tool && a.pattern === b.pattern && a.action === b.action;
  const kept = current.filter((rule) => !added.some((rule2) => same(rule, rule2)));
  const lastDeny = kept.map((rule) => rule.action).lastIndexOf("deny");
  const denies = added.filter((rule) => rule.action === "deny");
  const others = added.filter((rule) => rule.action !== "deny");
  return [...denies, ...kept.slice(0, lastDeny + 1), ...others, ...kept.slice(lastDeny + 1)];
}

/** A pattern matching exactly `literal`, in the language(s) the tool's patterns are read in. */
export function escapePattern(literal: string, toolName: string): string {
  const special = subjectKindsOf(toolName).includes("path") ? /[\\*?[\]{}()!+@|]/g : /[\\*]/g;
  return literal.replace(special, "\\$&");
}

function exactPattern(subject: Subject, toolName: string): string {
  if (subject.kind === "text") return escapePattern(subject.value, toolName);
  return subject.relative === null ? escapePattern(subject.absolute, toolName) : escapePattern(subject.relative, toolName);
}

// claude's Bash rule contents: `npm test:*` (the prefix, alone or followed by arguments),
// `npm test *` (the same, in its newer wildcard syntax), `git * main` (wildcards) or an
// exact command. Each becomes a group of csm patterns; a suggestion that would match
// every command, or that is not a single simple command, is ignored.
function suggestedBashPatterns(suggestions: unknown): string[][] {
  const groups: string[][] = [];
  for (const content of bashRuleContents(suggestions)) {
    const prefix = /^(.*?)(?::\*| \*)$/s.exec(content)?.[1];
    if (prefix !== undefined && !hasWildcard(prefix)) {
      const command = singleCommand(prefix);
      if (command) groups.push([escapePattern(command, "Bash"), `${escapePattern(command, "Bash")} *`]);
    } else if (hasWildcard(content)) {
      if (!/^\s*\*/.test(content) && !/[;&|\n`]|\$\(/.test(content)) groups.push([content]);
    } else {
      const command = singleCommand(content);
      if (command) groups.push([escapePattern(command, "Bash")]);
    }
  }
  return groups.filter((group) => group.every((pattern) => isValidTextPattern(pattern)));
}

function bashRuleContents(suggestions: unknown): string[] {
  if (!Array.isArray(suggestions)) return [];
  const contents: string[] = [];
  for (const suggestion of suggestions) {
    if (typeof suggestion !== "object" || suggestion === null) continue;
    const { type, behavior, rules } = suggestion as Record<string, unknown>;
    if (type !== "addRules" || (behavior !== undefined && behavior !== "allow") || !Array.isArray(rules)) continue;
    for (const rule of rules) {
      if (typeof rule !== "object" || rule === null) continue;
      const { toolName, ruleContent } = rule as Record<string, unknown>;
      // A rule without content would allow every Bash command: never taken from a suggestion.
      if (toolName === "Bash" && typeof ruleContent === "string" && ruleContent.trim() !== "") contents.push(ruleContent);
    }
  }
  return contents;
}

/** The text a Bash pattern is matched against for `command`, if it is one simple command. */
function singleCommand(command: string): string | null {
  const split = splitBashCommand(command);
  return split.parsed && split.commands.length === 1 ? split.commands[0] : null;
}

function hasWildcard(content: string): boolean {
  return /(^|[^\\])(\\\\)*\*/.test(content);
}

function isValidTextPattern(pattern: string): boolean {
  try {
    patternMatcher(pattern, "text");
    return true;
  } catch {
    return false;
  }
}
