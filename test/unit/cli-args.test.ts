import { expect, test } from "bun:test";
import { HELP_REQUESTED, parseFlags, surelyAsksForHelp } from "../../src/cli/args.ts";

const spec = { repo: { type: "string" }, json: { type: "boolean" }, force: { type: "boolean", short: "f" } } as const;
const parse = (argv: string[], max = 1) => parseFlags("create", argv, spec, { min: 1, max });

test("flags, values and positionals in any order", () => {
  expect(parse(["--repo", "/r", "name", "--json"])).toEqual({ flags: { repo: "/r", json: true }, positionals: ["name"] });
  expect(parse(["name", "--repo=/a=b", "-f"])).toEqual({ flags: { repo: "/a=b", force: true }, positionals: ["name"] });
});

test("a string flag takes the next argument even when it starts with -", () => {
  expect(parse(["n", "--repo", "-weird"]).flags.repo).toBe("-weird");
});

test("-- ends the flags", () => {
  expect(parse(["--", "-rf"]).positionals).toEqual(["-rf"]);
});

test.each([
  [["--nope", "n"], /unknown option "--nope"/],
  [["-x", "n"], /unknown option "-x"/],
  [["n", "--repo"], /--repo needs a value/],
  [["n", "--json=yes"], /--json takes no value/],
  [[], /missing argument/],
  [["a", "b"], /unexpected argument "b"/],
] as [string[], RegExp][])("%p is a usage error", (argv, message) => {
  expect(() => parse(argv)).toThrow(message);
  try {
    parse(argv);
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(2);
  }
});

const helpAsked = (argv: string[]) => {
  try {
    parse(argv, 2);
    return false;
  } catch (error) {
    if ((error as Error).name === HELP_REQUESTED) return true;
    throw error;
  }
};

test("--help and -h ask for help where a flag can stand", () => {
  expect(helpAsked(["n", "--help"])).toBe(true);
  expect(helpAsked(["-h"])).toBe(true);
  expect(helpAsked(["n", "--repo", "/r", "-h"])).toBe(true);
});

test("--help and -h are data after -- and as an option's value", () => {
  expect(parse(["n", "--", "--help"], 2).positionals).toEqual(["n", "--help"]);
  expect(parse(["n", "--", "-h"], 2).positionals).toEqual(["n", "-h"]);
  expect(parse(["n", "--repo", "-h"]).flags.repo).toBe("-h");
  expect(parse(["n", "--repo", "--help"]).flags.repo).toBe("--help");
  expect(parse(["n", "--repo=--help"]).flags.repo).toBe("--help");
});

test("the dispatcher's early check says help only when no option can take it as a value", () => {
  expect(surelyAsksForHelp(["--help"])).toBe(true);
  expect(surelyAsksForHelp(["x", "-h"])).toBe(true);
  expect(surelyAsksForHelp(["x", "--prompt", "hi", "--help"])).toBe(true);
  expect(surelyAsksForHelp(["x", "--repo=/r", "--help"])).toBe(true);
  // Undecided: parseFlags, which knows the options, decides.
  expect(surelyAsksForHelp(["x", "--prompt", "-h"])).toBe(false);
  expect(surelyAsksForHelp(["x", "--json", "--help"])).toBe(false);
  expect(surelyAsksForHelp(["x", "--", "--help"])).toBe(false);
  expect(surelyAsksForHelp(["x", "--", "hi", "-h"])).toBe(false);
});
