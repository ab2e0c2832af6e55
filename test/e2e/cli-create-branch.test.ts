import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, csmBranches, findSession, gitWorktrees, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// `create --branch B` puts the worktree on a branch that already exists, instead of a new
// csm/… branch; csm remembers it did not make it.

test("--branch works on an existing local branch, and kill --delete-branch keeps it", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.git(repo, ["branch", "feature/x"]);

  await createSession(sb, "api", repo, ["--branch", "feature/x"]);

  const worktree = worktreePath(sb, repo, "api");
  expect(await sb.git(worktree, ["symbolic-ref", "--short", "HEAD"])).toBe("feature/x");
  expect((await findSession(sb, "api"))!.branch).toBe("feature/x");
  expect(await csmBranches(sb, repo)).toEqual([]);

  const killed = await sb.csm(["kill", "api", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(killed.stdout).not.toContain("branch feature/x");
  expect(existsSync(worktree)).toBe(false);
  expect(await sb.git(repo, ["branch", "--list", "feature/x"])).toContain("feature/x");
});

test("--branch finds a branch only on origin and makes the local tracking branch", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.git(repo, ["switch", "-q", "-c", "feature/y"]);
  await Bun.write(join(repo, "y.txt"), "y\n");
  await sb.git(repo, ["add", "y.txt"]);
  await sb.git(repo, ["commit", "-q", "-m", "y"]);
  await sb.git(repo, ["push", "-q", "origin", "feature/y"]);
  await sb.git(repo, ["switch", "-q", "main"]);
  await sb.git(repo, ["branch", "-q", "-D", "feature/y"]);

  await createSession(sb, "remote-y", repo, ["--branch", "feature/y"]);

  const worktree = worktreePath(sb, repo, "remote-y");
  expect(await sb.git(worktree, ["symbolic-ref", "--short", "HEAD"])).toBe("feature/y");
  expect(await sb.git(repo, ["rev-parse", "--abbrev-ref", "feature/y@{upstream}"])).toBe("origin/feature/y");
  expect(existsSync(join(worktree, "y.txt"))).toBe(true);
});

test("--branch refuses a branch checked out elsewhere and names that worktree", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const other = join(sb.paths.root, "elsewhere");
  await sb.git(repo, ["worktree", "add", "-q", "-b", "busy", other]);

  const result = await sb.csm(["create", "clash", "--repo", repo, "--branch", "busy"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain(other);
  // The repository's own checkout counts too.
  const main = await sb.csm(["create", "clash", "--repo", repo, "--branch", "main"]);
  expect(main.code).toBe(1);
  expect(main.stderr).toContain(repo);

  expect(await gitWorktrees(sb, repo)).toEqual([repo, other]);
  expect(await hasTmuxSession(sb, "clash")).toBe(false);
});

test("a hostile or unknown --branch is refused before anything is made", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  for (const hostile of ["$(touch x)", "-x", "a..b", "@{-1}"]) {
    const result = await sb.csm(["create", "bad", "--repo", repo, "--branch", hostile], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toStartWith("csm: ");
  }
  expect(existsSync(join(repo, "x"))).toBe(false);
  expect(existsSync(join(sb.paths.root, "x"))).toBe(false);

  const missing = await sb.csm(["create", "bad", "--repo", repo, "--branch", "no-such-branch"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("no-such-branch");
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
  expect(await hasTmuxSession(sb, "bad")).toBe(false);
});
