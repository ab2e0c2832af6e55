import { checkConfigLink, loadSettings, type Settings } from "../../config/load.ts";
import type { RuleAction, ToolRule } from "../../config/schema.ts";
import { updateConfig } from "../../config/write.ts";
import { describeRule, evaluateRules, type RuleDecision, validateRules } from "../../core/rules/index.ts";
import { insertRule, moveRule, removeRule } from "../../core/rules/rule-list.ts";
import { LocalHost } from "../../host/local.ts";
import { resolveRealPath } from "../../host/real-path.ts";
import { usageError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// `csm rules list|add|remove|move|test`: the toolApprovalRules list in the config file.
// Rules are numbered as in every decision's reason, `toolApprovalRules[N]`, from 0.
// Writes go through updateConfig (locked, atomic, the rest of the file kept); the hub
// picks the change up on the next request.

const USAGE = "rules list [--json] | add --tool T [--pattern P] --action A [--position N] | remove N | move N M | test TOOL INPUT [--json]";

/** The field a tool's rules match, so `rules test Bash "git status"` needs no JSON. */
const PRIMARY_FIELD: Record<string, string> = {
  Bash: "command", Read: "file_path", Write: "file_path", Edit: "file_path", MultiEdit: "file_path",
  NotebookEdit: "notebook_path", Grep: "pattern", Glob: "pattern", WebFetch: "url", WebSearch: "query",
};

export async function run(argv: string[], io: Output): Promise<number> {
  const [sub, ...rest] = argv;
  const settings = await loadSettings();
  checkConfigLink(settings.paths.configFile);
  switch (sub) {
    case "list":
      return list(settings, rest, io);
    case "add":
      return add(settings, rest, io);
    case "remove":
      return change(settings, "remove", rest, io);
    case "move":
      return change(settings, "move", rest, io);
    case "test":
      return testRule(settings, rest, io);
    default:
      throw usageError(`usage: csm ${USAGE}`);
  }
}

function usableRules(settings: Settings): ToolRule[] {
  validateRules(settings.config.toolApprovalRules, `${settings.paths.configFile}: toolApprovalRules`);
  return settings.config.toolApprovalRules;
}

// A pattern may hold claude's own command (`--always`): printable, never raw.
const showRule = (rule: ToolRule, index: number) => printable(`[${index}] ${rule.tool}${rule.pattern !== undefined ? ` ${JSON.stringify(rule.pattern)}` : ""} → ${rule.action}`);

function list(settings: Settings, argv: string[], io: Output): number {
  const { flags } = parseFlags("rules list", argv, { json: { type: "boolean" } }, { min: 0, max: 0 });
  const rules = usableRules(settings);
  if (flags.json) printJson(io, rules.map((rule, index) => ({ index, ...rule })));
  else if (rules.length === 0) io.out("no rules: every tool request is asked (add one with `csm rules add`)");
  else io.out([...rules.map(showRule), "", "first match wins; no match asks"].join("\n"));
  return 0;
}

const number = (value: string | undefined, what: string): number => {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n)) throw usageError(`rules: ${what} must be a rule number (got ${JSON.stringify(value)})`);
  return n;
};

const write = (settings: Settings, edit: (rules: ToolRule[]) => ToolRule[]) =>
  updateConfig(new LocalHost().files, settings.paths.configFile, `${settings.paths.stateDir}/locks/config.lock`, (raw) => {
    const current = (raw.toolApprovalRules as ToolRule[] | undefined) ?? [];
    validateRules(current, `${settings.paths.configFile}: toolApprovalRules`);
    raw.toolApprovalRules = edit(current);
  });

async function add(settings: Settings, argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags(
    "rules add",
    argv,
    { tool: { type: "string" }, pattern: { type: "string" }, action: { type: "string" }, position: { type: "string" } },
    { min: 0, max: 0 },
  );
  if (flags.tool === undefined || flags.action === undefined) throw usageError("rules add: --tool and --action are required");
  const rule: ToolRule = { tool: flags.tool, ...(flags.pattern !== undefined ? { pattern: flags.pattern } : {}), action: flags.action as RuleAction };
  const asked = flags.position === undefined ? null : number(flags.position, "--position");
  // Positions come from the rules as they are under the lock: another writer may have
  // changed them since this command started, and the first matching rule wins.
  let at = 0;
  await write(settings, (rules) => insertRule(rules, rule, (at = asked ?? rules.length)));
  io.out(`added ${showRule(rule, at)}`);
  return 0;
}

async function change(settings: Settings, what: "remove" | "move", argv: string[], io: Output): Promise<number> {
  const { positionals } = parseFlags(`rules ${what}`, argv, {}, { min: what === "remove" ? 1 : 2, max: what === "remove" ? 1 : 2 });
  const from = number(positionals[0], "N");
  // What is said is the rule the edit took, under the lock: not one read before it.
  let taken: ToolRule | undefined;
  if (what === "remove") {
    await write(settings, (rules) => ((taken = rules[from]), removeRule(rules, from)));
    io.out(`removed ${showRule(taken!, from)}`);
    return 0;
  }
  const to = number(positionals[1], "M");
  await write(settings, (rules) => ((taken = rules[from]), moveRule(rules, from, to)));
  io.out(`moved ${showRule(taken!, to)}`);
  return 0;
}

function testRule(settings: Settings, argv: string[], io: Output): number {
  const { flags, positionals } = parseFlags("rules test", argv, { json: { type: "boolean" }, worktree: { type: "string" } }, { min: 2, max: 2 });
  const [tool, text] = positionals as [string, string];
  let input: unknown;
  if (text.trimStart().startsWith("{")) {
    try {
      input = JSON.parse(text);
    } catch {
      throw usageError(`rules test: INPUT starts with "{" but is not valid JSON`);
    }
  } else if (PRIMARY_FIELD[tool]) input = { [PRIMARY_FIELD[tool]!]: text };
  else throw usageError(`rules test: give ${tool}'s input as a JSON object (only ${Object.keys(PRIMARY_FIELD).join(", ")} take plain text)`);
  const decision = evaluateRules(usableRules(settings), { toolName: tool, input, worktree: flags.worktree ?? process.cwd(), realPath: resolveRealPath });
  if (flags.json) {
    printJson(io, decision);
    return 0;
  }
  io.out(`${decision.action}${decision.rule ? ` by ${describeRule(decision.rule, decision.ruleIndex!)}` : " (no rule decides it: a person does)"}`);
  io.out(`why: ${decision.reason}`);
  io.out(explainParts(decision).join("\n"));
  return 0;
}

/**
 * Every part's decision, one a line, the part that settled the request marked with `→`:
 * the first denied part, else the first one not allowed (see evaluate.ts's combine).
 */
function explainParts(decision: RuleDecision): string[] {
  const { parts } = decision;
  if (parts.length === 0) {
    return ["parts: none — the input could not be split, so only a rule without a pattern decides it"];
  }
  const settling = parts.find((part) => part.action === "deny") ?? parts.find((part) => part.action !== "allow");
  const rule = parts.length === 1 ? "the request is decided by its only part" : "each part is decided on its own; all must be allowed";
  return [
    `parts (${parts.length}): ${rule}`,
    ...parts.map((part) => `${part === settling ? "→" : " "} ${part.action.padEnd(5)} ${JSON.stringify(part.subject)}: ${part.reason}`),
  ];
}
