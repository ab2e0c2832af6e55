import { type Arg, riskyOption, unknownArg } from "./command-args.ts";
import { variableRisk } from "./shell-variables.ts";

// Bash builtins that run other commands, or change what later commands run: they set
// variables (`read PATH`, `export PAGER=…`, `printf -v`), evaluate array subscripts as
// arithmetic (which runs any `$(…)` in them: `test -v 'a[$(cmd)]'`, `let`, `declare -i`),
// make names refer to other names (`declare -n`), or keep a command to run later (`trap`).

export type Check = (args: readonly Arg[], name: string) => string | null;

const always = (what: string): Check => (_args, name) => `${name} ${what}`;
const SUBSCRIPT = "evaluates an array subscript as arithmetic, which can run commands";

/** Whether a variable named by an argument (`read NAME`, `printf -v NAME`) may be set. */
function nameRisk(command: string, arg: Arg | undefined): string | null {
  if (!arg) return null;
  if (arg.value === null) return unknownArg(arg, command);
  if (arg.value.includes("[")) return `${command} ${arg.value} ${SUBSCRIPT}`;
  const risk = variableRisk(arg.value);
  return risk ? `${command} ${arg.value}: ${risk}` : null;
}

/** Options, their values, and the names after them, for builtins that assign names. */
function namesAfterOptions(args: readonly Arg[], valued: string): { options: string[]; names: Arg[]; unknown: Arg | null } {
  const options: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.value ?? arg.head;
    // An argument starting with an expansion could be an option such as -n.
    if (arg.value === null && (value === "" || value.startsWith("-") || arg.splits)) return { options, names: [], unknown: arg };
    if (value === "--") {
      i++;
      break;
    }
    if (!value.startsWith("-") || value === "-") break;
    options.push(value);
    // In a bundle such as `-rp PROMPT` the last option takes the next argument.
    const last = value[value.length - 1]!;
    if (!value.startsWith("--") && valued.includes(last)) options.push(`${last}=${args[++i]?.value ?? ""}`);
  }
  return { options, names: args.slice(i), unknown: null };
}

// declare/typeset/local/export/readonly: -n (nameref), -i (arithmetic), -a/-A (arrays)
// all lead to subscripts being evaluated; otherwise every NAME or NAME=value is checked.
const declaration: Check = (args, name) => {
  const { options, names, unknown } = namesAfterOptions(args, "");
  if (unknown) return unknownArg(unknown, name);
  const flag = options.join("").match(/[aAinI]/)?.[0];
  if (flag) return `${name} -${flag} makes a name evaluated later (a nameref, an integer or an array), which can run commands`;
  for (const arg of names) {
    // `NAME=$value`: the name is known even when the value is not. A NAME alone keeps its
    // value (`export PATH`), so only a subscript in it matters.
    const known = arg.value ?? arg.head;
    const assigns = known.includes("=");
    if (!assigns && arg.value !== null && !arg.value.includes("[")) continue;
    const risk = nameRisk(name, assigns ? { ...arg, value: known.split("=")[0]! } : arg);
    if (risk) return risk;
  }
  return null;
};

const read: Check = (args, name) => {
  const { options, names, unknown } = namesAfterOptions(args, "adinNptu");
  if (unknown) return unknownArg(unknown, name);
  const arrays = options.filter((option) => option.startsWith("a=")).map((option) => ({ text: option, value: option.slice(2), head: "", splits: false }));
  for (const arg of [...arrays, ...names]) {
    const risk = nameRisk(name, arg);
    if (risk) return risk;
  }
  return null;
};

const mapfile: Check = (args, name) => {
  const { options, names, unknown } = namesAfterOptions(args, "dnOsuCc");
  if (unknown) return unknownArg(unknown, name);
  if (options.some((option) => option.startsWith("C="))) return `${name} -C runs the command it is given`;
  return nameRisk(name, names[0]);
};

const printf: Check = (args, name) => {
  const option = args[0];
  if (option?.value === null) return unknownArg(option, name);
  return option?.value === "-v" ? nameRisk(`${name} -v`, args[1] ?? option) : null;
};

// `wait -p NAME` (also `-np NAME`) sets NAME to the pid it waited for: a subscript in NAME is evaluated.
const wait: Check = (args, name) => {
  for (const [i, arg] of args.entries()) {
    if (arg.value === null) return unknownArg(arg, name);
    if (/^-[a-z]*p$/.test(arg.value)) return nameRisk(`${name} -p`, args[i + 1] ?? arg);
  }
  return null;
};

const unset: Check = (args, name) => {
  const arg = args.find((candidate) => candidate.value === null || candidate.value.includes("["));
  if (!arg) return null;
  return arg.value === null ? unknownArg(arg, name) : `${name} ${arg.value} ${SUBSCRIPT}`;
};

const test: Check = (args, name) => {
  const arg = args.find((candidate) => candidate.value === "-v" || candidate.splits);
  if (!arg) return null;
  return arg.value === "-v" ? `${name} -v ${SUBSCRIPT}` : unknownArg(arg, name);
};

const withArgs = (what: string, harmless: (args: readonly Arg[]) => boolean): Check => (args, name) =>
  harmless(args) ? null : `${name} ${what}`;

export const BUILTINS: Record<string, Check> = {
  source: always("runs the commands in a file"),
  ".": always("runs the commands in a file"),
  builtin: always("runs the builtin it is given"),
  let: always("evaluates arithmetic, whose array subscripts can run commands"),
  fc: always("runs commands again from the history"),
  enable: always("changes which builtins run"),
  exec: withArgs("runs the command it is given", (args) => args.length === 0),
  command: withArgs("runs the command it is given", (args) => args[0]?.value === "-v" || args[0]?.value === "-V"),
  trap: withArgs("sets a command to run later", (args) => args.length === 0 || args[0]?.value === "-l" || args[0]?.value === "-p"),
  alias: withArgs("changes what a command name runs", (args) => args.every((arg) => arg.value !== null && !arg.value.includes("="))),
  hash: (args, name) => riskyOption(name, args, { short: { p: "changes which program a command name runs" } }),
  complete: (args, name) => riskyOption(name, args, { short: { C: "runs a command to complete", F: "runs a function to complete" } }),
  compgen: (args, name) => riskyOption(name, args, { short: { C: "runs a command to complete", F: "runs a function to complete" } }),
  bind: (args, name) => riskyOption(name, args, { short: { x: "runs a command on a key" } }),
  declare: declaration,
  typeset: declaration,
  local: declaration,
  export: declaration,
  readonly: declaration,
  read,
  mapfile,
  readarray: mapfile,
  printf,
  getopts: (args, name) => nameRisk(name, args[1]),
  wait,
  unset,
  test,
  "[": test,
};
