import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuleAction, ToolRule } from "../../src/config/schema.ts";
import { buildAlwaysRules, evaluateRules } from "../../src/core/rules/index.ts";
import { resolveRealPath } from "../../src/host/real-path.ts";

// Path rules on a real disk: a worktree with committed symlinks, some leading out of it.
// Every case is a link a repository could carry; the rules must decide on where a write
// really lands, not on how its path reads.

let top: string;
let wt: string;
let outside: string;

beforeAll(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), "csm-real-path-")));
  wt = join(top, "wt");
  outside = join(top, "outside");
  for (const dir of ["wt/src/real", "wt/src/a/b", "wt/lib", "wt/docs", "outside/deep/dir", "worktrees"]) mkdirSync(join(top, dir), { recursive: true });
  writeFileSync(join(outside, "secret.json"), "{}");
  writeFileSync(join(wt, "src", "file.txt"), "");
  const link = (path: string, target: string) => symlinkSync(target, join(wt, path));
  link("src/out", outside); // a directory outside
  link("src/config.json", join(outside, "secret.json")); // a file outside
  link("src/alias", "real"); // stays inside, relative
  link("docs/src", "../src"); // inside, from outside the allowed tree into it
  link("src/hop", "../lib"); // the first of two links ...
  link("lib/away", outside); // ... the second leads out
  link("src/dangling", join(outside, "new.txt")); // target does not exist yet
  link("src/later", "created.txt"); // dangling, but inside
  link("src/loop1", "loop2");
  link("src/loop2", "loop1");
  link("src/deep", join(outside, "deep", "dir"));
  link("src/inner", "a/b"); // `src/inner/..` is src/a for the kernel, src for text
  link("src/x", outside);
  link("src/generated", join(outside, "deep"));
  symlinkSync(wt, join(top, "worktrees", "via-link"));
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

const rule = (tool: string, pattern: string, action: RuleAction): ToolRule => ({ tool, pattern, action });
const decide = (rules: ToolRule[], toolName: string, input: Record<string, unknown>, worktree = wt) =>
  evaluateRules(rules, { toolName, input, worktree, realPath: resolveRealPath });
const write = (path: string, rules = [rule("Write", "src/**", "allow")], worktree = wt) =>
  decide(rules, "Write", { file_path: path, content: "x" }, worktree);

describe("resolveRealPath", () => {
  test("follows links to where they lead, with missing parts taken as written", () => {
    expect(resolveRealPath(join(wt, "src/out/pwned.txt"))).toBe(join(outside, "pwned.txt"));
    expect(resolveRealPath(join(wt, "src/out/new/dir/f"))).toBe(join(outside, "new/dir/f"));
    expect(resolveRealPath(join(wt, "src/hop/away"))).toBe(outside);
    expect(resolveRealPath(join(top, "worktrees/via-link/src/alias/f"))).toBe(join(wt, "src/real/f"));
  });

  test("a dangling link leads to its target, which a write would create", () => {
    expect(resolveRealPath(join(wt, "src/dangling"))).toBe(join(outside, "new.txt"));
    expect(resolveRealPath(join(wt, "src/later"))).toBe(join(wt, "src/created.txt"));
  });

  test("`..` climbs from a link's target, as the kernel does", () => {
    expect(resolveRealPath(join(wt, "src/deep") + "/../x")).toBe(join(outside, "deep/x"));
    expect(resolveRealPath(join(wt, "src/inner") + "/../f")).toBe(join(wt, "src/a/f"));
    // Past a missing directory `..` is taken as text, then the walk resumes on disk.
    expect(resolveRealPath(join(wt, "src/missing/../out/f"))).toBe(join(outside, "f"));
    expect(resolveRealPath("/../..")).toBe("/");
  });

  test("a link loop or a relative path cannot be resolved", () => {
    expect(() => resolveRealPath(join(wt, "src/loop1/f"))).toThrow(/symbolic links/);
    expect(() => resolveRealPath("src/f")).toThrow(/not absolute/);
  });

  test("below a regular file nothing exists", () => {
    expect(resolveRealPath(join(wt, "src/file.txt/x"))).toBe(join(wt, "src/file.txt/x"));
  });
});

describe("path rules decide on the real path", () => {
  test("a link to a directory outside is outside: asked, and shown with where it leads", () => {
    const decision = write(join(wt, "src/out/pwned.txt"));
    expect(decision.action).toBe("ask");
    expect(decision.reason).toContain(`src/out/pwned.txt → ${join(outside, "pwned.txt")}`);
    expect(write("src/out/pwned.txt").action).toBe("ask");
  });

  test("without realPath the same request reads as inside (the text alone)", () => {
    const decision = evaluateRules([rule("Write", "src/**", "allow")], { toolName: "Write", input: { file_path: "src/out/pwned.txt" }, worktree: wt });
    expect(decision.action).toBe("allow");
  });

  test("a link to a file outside, nested links and a dangling link outside are asked", () => {
    expect(write("src/config.json").action).toBe("ask");
    expect(write("src/hop/away/f").action).toBe("ask");
    expect(write("src/dangling").action).toBe("ask");
  });

  test("links that stay inside the worktree are still allowed", () => {
    expect(write("src/alias/f").action).toBe("allow");
    expect(write("src/later").action).toBe("allow");
    // The real path decides: docs/src/f is src/f.
    expect(write("docs/src/f").action).toBe("allow");
    expect(write("src/file.txt").action).toBe("allow");
  });

  test("a link loop is asked, never allowed, even by a rule that matches everything", () => {
    const decision = write("src/loop1/f", [rule("Write", "**", "allow"), rule("Write", "/**", "allow")]);
    expect(decision.action).toBe("ask");
    expect(decision.reason).toContain("symbolic links");
  });

  test("`..` through a link: allowed only if both the kernel's and the text's reading are", () => {
    expect(write("src/deep/../x").action).toBe("ask");
    // The kernel lands in src/a/f, a tool that normalises first in src/f: both inside.
    expect(write("src/inner/../f").action).toBe("allow");
    // src/inner/../x is src/a/x for the kernel, but src/x (a link outside) as text.
    expect(write("src/inner/../x/f").action).toBe("ask");
  });

  test("a worktree reached through a link still contains its files", () => {
    const linked = join(top, "worktrees", "via-link");
    expect(write("src/f", undefined, linked).action).toBe("allow");
    expect(write(join(linked, "src/f"), undefined, linked).action).toBe("allow");
    expect(write(join(wt, "src/f"), undefined, linked).action).toBe("allow");
    expect(write(join(linked, "src/out/f"), undefined, linked).action).toBe("ask");
  });

  test("denies still hold for the path as written", () => {
    const rules = [rule("Write", "src/generated/**", "deny"), rule("Write", "/**", "allow")];
    expect(write("src/generated/f", rules).action).toBe("deny");
    // An absolute deny written with a linked directory (as /etc -> /private/etc on macOS).
    const linked = join(top, "worktrees", "via-link");
    expect(write(join(linked, "lib/f"), [rule("Write", `${linked}/lib/**`, "deny"), rule("Write", "/**", "allow")]).action).toBe("deny");
    // And for where it really lands.
    expect(write("src/out/f", [rule("Write", `${outside}/**`, "deny"), rule("Write", "**", "allow")]).action).toBe("deny");
  });

  test("Grep and Glob paths are resolved too", () => {
    const search = [rule("Grep", "**", "allow"), rule("Glob", "src/**", "allow")];
    expect(decide(search, "Grep", { pattern: "TODO", path: "src/out" }).action).toBe("ask");
    expect(decide(search, "Grep", { pattern: "TODO", path: "src/alias" }).action).toBe("allow");
    expect(decide(search, "Glob", { pattern: "src/out/**/*.ts" }).action).toBe("ask");
    expect(decide(search, "Glob", { pattern: "**/*.ts", path: "src/out" }).action).toBe("ask");
    expect(decide(search, "Glob", { pattern: "src/**/*.ts" }).action).toBe("allow");
    expect(decide(search, "Glob", { pattern: "src/*/../f" }).action).toBe("ask");
  });

  test("--always builds the rule for the real path", () => {
    const request = { toolName: "Write", input: { file_path: "src/out/f" }, worktree: wt, realPath: resolveRealPath };
    const added = buildAlwaysRules(request, "allow", [rule("Write", "src/**", "allow")]);
    expect(added).toEqual([rule("Write", join(outside, "f"), "allow")]);
    expect(write("src/out/f", [...added, rule("Write", "src/**", "allow")]).action).toBe("allow");
  });
});
