import { type Arg, unknownArg } from "./command-args.ts";
import type { Check } from "./shell-builtins.ts";

// Programs whose command line carries a program of their own: an awk program can call
// system() or pipe to a command, a sed script can execute its pattern space (`e`) or
// write files (`w`), and `python -c`, `perl -e`, `node -e` run code outright. Reading the
// program from standard input is the same thing, so it is asked too.

/** awk and friends: asked when the program can run a command or write a file. */
export const awk: Check = (args, name) => {
  let program: Arg | undefined;
  for (let i = 0; i < args.length && !program; i++) {
    const arg = args[i]!;
    const value = arg.value;
    if (value === null) return unknownArg(arg, name);
    if (value === "--sandbox") return null;
    if (/^(?:-f|--file|-E|--exec|-i|--include|-l|--load|-W)/.test(value)) return `${name} ${value} runs a program csm cannot see`;
    if (value === "-e" || value === "--source") program = args[++i];
    else if (value.startsWith("--source=")) program = { ...arg, value: value.slice("--source=".length) };
    else if (value === "-F" || value === "-v") i++;
    else if (value === "--") program = args[i + 1];
    else if (!value.startsWith("-") || value === "-") program = arg;
  }
  if (!program) return null;
  if (program.value === null) return unknownArg(program, name);
  const risk = awkProgramRisk(program.value);
  return risk ? `${name}'s program ${risk}` : null;
};

function awkProgramRisk(program: string): string | null {
  // Strings and regular expressions are data; `/…/` is a regex where an operand may start.
  const code = program
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/(^|[(,~!{};&|\n]\s*)\/(?:[^/\\\n]|\\.)*\//g, "$1//")
    .replace(/\|\|/g, " ");
  if (/\bsystem\s*\(/.test(code)) return "calls system()";
  if (code.includes("|")) return "pipes to or from a command";
  if (/@(?:load|include)\b/.test(code)) return "loads code from elsewhere";
  // In `print a > b` the `>` is always a redirection; comparisons need parentheses.
  for (const statement of code.matchAll(/\bprintf?\b([^;}\n]*)/g)) {
    let depth = 0;
    for (const c of statement[1]!) {
      if (c === "(") depth++;
      else if (c === ")") depth--;
      else if (c === ">" && depth <= 0) return "writes to a file";
    }
  }
  return null;
}

/** sed: asked for the `e` and `w`/`W` commands, `s///e` and `s///w`, and scripts it cannot see. */
export const sed: Check = (args, name) => {
  const scripts: Arg[] = [];
  let expressions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.value;
    if (value === null) {
      if (scripts.length === 0 && !expressions) return unknownArg(arg, name);
      continue;
    }
    if (value === "--sandbox") return null;
    if (value === "-f" || value.startsWith("--file") || /^-[^-]*f/.test(value)) return `${name} -f runs a script csm cannot see`;
    if (value === "-e" || value === "--expression") {
      expressions = true;
      if (args[i + 1]) scripts.push(args[++i]!);
    } else if (value.startsWith("--expression=")) {
      expressions = true;
      scripts.push({ ...arg, value: value.slice("--expression=".length) });
    } else if (value === "-l") i++;
    else if (!value.startsWith("-") && !expressions && scripts.length === 0) scripts.push(arg);
  }
  for (const script of scripts) {
    if (script.value === null) return unknownArg(script, name);
    const risk = sedScriptRisk(script.value);
    if (risk) return `${name} ${risk}`;
  }
  return null;
};

const SED_SIMPLE = new Set("=dDgGhHlnNpPqQxzFLv{}IM".split(""));

function sedScriptRisk(script: string): string | null {
  let i = 0;
  const skipPast = (delimiter: string) => {
    while (i < script.length && script[i] !== delimiter) i += script[i] === "\\" ? 2 : 1;
    i++;
  };
  while (i < script.length) {
    const c = script[i]!;
    i++;
    if (" \t\n;!,0123456789$~+".includes(c) || SED_SIMPLE.has(c)) continue;
    if (c === "/") {
      skipPast("/");
    } else if (c === "\\") {
      i++;
      skipPast(script[i - 1] ?? "");
    } else if (c === "#" || c === "r" || c === "R" || c === "a" || c === "i" || c === "c") {
      skipPast("\n");
    } else if (c === ":" || c === "b" || c === "t" || c === "T") {
      while (i < script.length && !";\n}".includes(script[i]!)) i++;
    } else if (c === "e") {
      return "e runs its text as a command";
    } else if (c === "w" || c === "W") {
      return `${c} writes a file`;
    } else if (c === "s" || c === "y") {
      const delimiter = script[i++] ?? "";
      skipPast(delimiter);
      skipPast(delimiter);
      const flags = c === "s" ? /^[^;\n}]*/.exec(script.slice(i))![0] : "";
      if (flags.includes("e")) return "s///e runs the result as a command";
      if (flags.includes("w")) return "s///w writes a file";
      i += flags.length;
    } else {
      return `has a script command ${c} csm does not know`;
    }
  }
  return null;
}

interface InterpreterSpec {
  /** Options whose value is code: `-c`, `-e`, `--eval`… (short ones also inside bundles). */
  inline: string[];
  /** Options that take the next argument as their value (so it is not the script). */
  valued?: string[];
  /** Options that name the program to run instead of a script operand (`python -m`). */
  program?: string[];
  /** Without a script it reads its program from standard input (default), or just prints help. */
  stdin?: boolean;
}

/** A language interpreter: asked when code comes on the command line or from standard input. */
export const interpreter = (spec: InterpreterSpec): Check => (args, name) => {
  const shortInline = spec.inline.filter((option) => /^-[A-Za-z]$/.test(option)).map((option) => option[1]!);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.value;
    if (value === null) return unknownArg(arg, name);
    if (value === "--version" || value === "-V" || value === "--help" || value === "-h") return null;
    const option = value.split("=")[0]!;
    const bundled = /^-[A-Za-z]+$/.test(value) && [...value.slice(1)].some((c) => shortInline.includes(c));
    if (spec.inline.includes(option) || bundled) return `${name} ${value} runs code given on its command line`;
    if (spec.program?.includes(option)) return null;
    if (spec.valued?.includes(value)) i++;
    else if (value === "-" || !value.startsWith("-")) return value === "-" ? `${name} - runs code from standard input` : null;
  }
  return spec.stdin === false ? null : `${name} without a script runs code from standard input`;
};
