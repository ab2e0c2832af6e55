import type { ToolRule } from "../../config/schema.ts";
import { usageError } from "../../shared/errors.ts";
import { checkNewRule } from "./validate.ts";

// Edits of the ordered rule list, shared by `csm rules` and the API. Positions are the
// indexes of `toolApprovalRules[N]`, from 0, as every decision's reason names them.

function checkIndex(value: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw usageError(`${what} must be a rule number from 0 to ${max} (got ${JSON.stringify(value)})`);
  return value;
}

export function insertRule(rules: readonly ToolRule[], rule: ToolRule, position = rules.length): ToolRule[] {
  checkNewRule(rule);
  const next = [...rules];
  next.splice(checkIndex(position, "position", rules.length), 0, rule);
  return next;
}

export function removeRule(rules: readonly ToolRule[], index: number): ToolRule[] {
  if (rules.length === 0) throw usageError("there are no rules to remove");
  const next = [...rules];
  next.splice(checkIndex(index, "index", rules.length - 1), 1);
  return next;
}

export function moveRule(rules: readonly ToolRule[], from: number, to: number): ToolRule[] {
  if (rules.length === 0) throw usageError("there are no rules to move");
  const next = [...rules];
  const [moved] = next.splice(checkIndex(from, "from", rules.length - 1), 1);
  next.splice(checkIndex(to, "to", rules.length - 1), 0, moved!);
  return next;
}
