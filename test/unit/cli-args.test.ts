import { expect, test } from "bun:test";
import { parseFlags } from "../../src/cli/args.ts";

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
