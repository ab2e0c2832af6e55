import type { ToolRule } from "../../config/schema.ts";
import { allForms, landingForms } from "./path-subject.ts";
import { patternMatcher, type SubjectMatcher } from "./patterns.ts";
import type { Subject, SubjectKind } from "./primary-input.ts";
import { validateRules } from "./validate.ts";

// A rule list is validated and its globs compiled once, then reused for every request.
// The cache is keyed by the list itself and re-checked against a snapshot of its rules,
// so a caller that pushes a rule onto the same array (as `--always` may) is not served a
// stale compilation.

export interface CompiledRule {
  readonly index: number;
  readonly rule: ToolRule;
  /** Whether this rule applies to `subject` of a request for `toolName`. */
  matches(toolName: string, subject: Subject): boolean;
  appliesTo(toolName: string): boolean;
}

interface CacheEntry {
  snapshot: string[];
  compiled: CompiledRule[];
}

const compiledLists = new WeakMap<readonly ToolRule[], CacheEntry>();

export function compileRules(rules: readonly ToolRule[]): readonly CompiledRule[] {
  const cached = compiledLists.get(rules);
  if (cached && sameRules(cached.snapshot, rules)) return cached.compiled;
  validateRules(rules);
  const compiled = rules.map((rule, index) => compileRule(rule, index));
  compiledLists.set(rules, { snapshot: rules.flatMap(ruleKey), compiled });
  return compiled;
}

function compileRule(rule: ToolRule, index: number): CompiledRule {
  const appliesTo = (toolName: string) => rule.tool === "*" || rule.tool === toolName;
  const { pattern } = rule;
  const matchers: Partial<Record<SubjectKind, SubjectMatcher>> = {};
  const matchesPattern = (subject: Subject) => {
    if (pattern === undefined) return true;
    // A path is denied or asked whatever its case (see patternMatcher), allowed only as written.
    const matcher = (matchers[subject.kind] ??= patternMatcher(pattern, subject.kind, subject.kind === "path" && rule.action !== "allow"));
    // A command is allowed only as written, and denied or asked however it is spelt.
    if (subject.kind === "text") return rule.action === "allow" || !subject.forms ? matcher(subject) : subject.forms.some((value) => matcher({ ...subject, value }));
    // A path is allowed only for where it can land, and denied or asked for how it looks too.
    return rule.action === "allow" ? landingForms(subject).every(matcher) : allForms(subject).some(matcher);
  };
  return { index, rule, appliesTo, matches: (toolName, subject) => appliesTo(toolName) && matchesPattern(subject) };
}

function ruleKey(rule: ToolRule): string[] {
  return [rule.tool, rule.pattern ?? "\0", rule.action];
}

function sameRules(snapshot: string[], rules: readonly ToolRule[]): boolean {
  if (snapshot.length !== rules.length * 3) return false;
  return rules.every(
    (rule, i) =>
      snapshot[3 * i] === rule.tool && snapshot[3 * i + 1] === (rule.pattern ?? "\0") && snapshot[3 * i + 2] === rule.action,
  );
}
