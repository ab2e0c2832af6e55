import { CsmError, usageError } from "../shared/errors.ts";

// Flag parsing for every command. Hand-written rather than node:util's parseArgs, which
// costs ~2 ms to load (a third of `csm list`'s budget). Any problem is a usage error:
// exit 2, nothing touched. `--help`/`-h` asks for help only where a flag can stand: not
// after `--` and not as a string option's value, so `send x -- --help` sends the text.

/** Thrown by parseFlags for `--help`/`-h` in a flag's place; the dispatcher prints the command's help. */
export const HELP_REQUESTED = "HelpRequested";

const isHelp = (arg: string) => arg === "--help" || arg === "-h";

/**
 * Whether argv asks for help whatever the command's options: a `--help`/`-h` before any
 * `--` that the argument before it cannot take as its value. When that argument is an
 * option (it may take a value), parseFlags decides, knowing the command's options.
 */
export function surelyAsksForHelp(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return false;
    if (!isHelp(arg)) continue;
    const previous = argv[i - 1];
    if (previous === undefined || !previous.startsWith("-") || previous === "-" || previous.includes("=")) return true;
  }
  return false;
}

export type FlagSpec = Record<string, { type: "boolean" | "string"; short?: string }>;

export interface Parsed<F extends FlagSpec> {
  flags: { [K in keyof F]?: F[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

export function parseFlags<F extends FlagSpec>(command: string, argv: string[], spec: F, positionals: { min: number; max: number }): Parsed<F> {
  const fail = (problem: string) => usageError(`${command}: ${problem} (see \`csm help ${command}\`)`);
  const flags: Record<string, string | boolean> = {};
  const rest: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([name, flag]) => (flag.short ? [[flag.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      rest.push(arg);
      continue;
    }
    if ((arg === "--help" && !spec.help) || (arg === "-h" && !byShort.has("h"))) throw new CsmError(HELP_REQUESTED, `${command}: see \`csm help ${command.split(" ")[0]}\``);
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const key = long ? arg.slice(2, eq === -1 ? undefined : eq) : byShort.get(arg.slice(1));
    const flag = key === undefined ? undefined : spec[key];
    if (key === undefined || !flag) throw fail(`unknown option ${JSON.stringify(eq === -1 ? arg : arg.slice(0, eq))}`);
    if (flag.type === "boolean") {
      if (eq !== -1) throw fail(`--${key} takes no value`);
      flags[key] = true;
      continue;
    }
    // A string flag takes the next argument whatever it looks like, so `--prompt -x` works.
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw fail(`--${key} needs a value`);
    flags[key] = value;
  }
  if (rest.length < positionals.min) throw fail("missing argument");
  if (rest.length > positionals.max) throw fail(`unexpected argument ${JSON.stringify(rest[positionals.max])}`);
  return { flags: flags as Parsed<F>["flags"], positionals: rest };
}
