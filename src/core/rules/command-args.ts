import type { BashWord } from "./bash-command.ts";

// A command's arguments as far as the text tells them, and a check for options that make
// a command run something. Shared by the tables in command-runners.ts, git-runners.ts and
// shell-builtins.ts.

export interface Arg {
  /** As written, quotes kept. */
  text: string;
  /** The value when the text fully determines it, else null. */
  value: string | null;
  /** The known start of the value ("" when it starts with an expansion). */
  head: string;
  /** May become several words or none: an unquoted expansion or glob. */
  splits: boolean;
}

export const argOf = (word: BashWord): Arg => ({
  text: word.text,
  value: word.dynamic || word.pattern ? null : word.literal,
  head: word.pattern ? "" : word.head,
  splits: word.splits || word.pattern,
});

/** Null when the value is known; else why a check cannot rely on this argument. */
export function unknownArg(arg: Arg, command: string): string | null {
  if (arg.value !== null) return null;
  return `the argument ${arg.text} of ${command} is only known when it runs, and could be an option that runs a program or writes a file`;
}

/** A command's risky options; each maps to what it does, e.g. "runs another command". */
export interface OptionRisks {
  /** GNU-style long options; `--to-com` counts as `--to-command`, as getopt accepts it. */
  long?: Record<string, string>;
  /** Short option letters, also found inside bundles such as `-avze`. */
  short?: Record<string, string>;
  /** Whole words, as find writes its actions (`-exec`). */
  words?: Record<string, string>;
}

/**
 * The first risky option among `args` (up to `--`), as `NAME OPTION WHAT`; an argument
 * whose value is unknown counts as risky unless its known start shows it is no option.
 */
export function riskyOption(command: string, args: readonly Arg[], risks: OptionRisks): string | null {
  for (const arg of args) {
    if (arg.value === "--") return null;
    const risk = optionRisk(command, arg, risks);
    if (risk) return risk;
  }
  return null;
}

export function optionRisk(command: string, arg: Arg, risks: OptionRisks): string | null {
  if (arg.splits) return unknownArg(arg, command);
  const known = arg.value ?? arg.head;
  if (!known.startsWith("-")) return arg.value === null && known === "" ? unknownArg(arg, command) : null;
  if (risks.words?.[known] && arg.value !== null) return `${command} ${known} ${risks.words[known]}`;
  if (known.startsWith("--")) {
    // Only the name before "=" matters; without a known "=" the name itself may go on.
    const name = known.split("=")[0]!;
    if (arg.value === null && !known.includes("=")) return unknownArg(arg, command);
    const hit = Object.keys(risks.long ?? {}).find((option) => name.length > 2 && option.startsWith(name));
    return hit ? `${command} ${hit} ${risks.long![hit]}` : null;
  }
  if (arg.value === null) return risks.short || risks.words ? unknownArg(arg, command) : null;
  if (risks.words) return null;
  const letter = [...known.slice(1)].find((c) => risks.short?.[c]);
  return letter ? `${command} -${letter} ${risks.short![letter]}` : null;
}
