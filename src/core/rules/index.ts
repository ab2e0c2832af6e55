// The tool-approval rules engine: pure functions from a rule list and a request to a
// decision. Nothing here does I/O; the hub and the CLI bring the rules and the requests.

export { buildAlwaysRules, escapePattern, ruleNotBuildableError, withAlwaysRules } from "./always-rule.ts";
export type { AlwaysAction, AlwaysRuleRequest } from "./always-rule.ts";
export { splitBashCommand, type BashSplit } from "./bash-split.ts";
export { SUBSTITUTION_PLACEHOLDER } from "./bash-command.ts";
export { describeRule, evaluateRules } from "./evaluate.ts";
export type { EvaluationContext, PartDecision, RuleDecision } from "./evaluate.ts";
export { describeSubject, FILE_TOOLS, primaryInput, subjectKindsOf } from "./primary-input.ts";
export type { PathForm, PathSubject, PrimaryInput, RealPath, Subject, SubjectKind, TextSubject } from "./primary-input.ts";
export { RULE_ACTIONS, rulesInvalidError, validateRules } from "./validate.ts";
