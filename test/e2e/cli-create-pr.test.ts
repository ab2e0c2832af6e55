import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, gitWorktrees, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// `create --pr N` fetches GitHub's refs/pull/N/head (or GitLab's refs/merge-requests/N/head)
// into a local branch pr/N and works there. The bare origin plays the forge.

test("--pr fetches refs/pull/N/head from origin into pr/N", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.git(repo, ["switch", "-q", "-c", "contribution"]);
  await Bun.write(join(repo, "patch.txt"), "from a fork\n");
  await sb.git(repo, ["add", "patch.txt"]);
  await sb.git(repo, ["commit", "-q", "-m", "a contribution"]);
  const head = await sb.git(repo, ["rev-parse", "HEAD"]);
  await sb.git(repo, ["push", "-q", "origin", "HEAD:refs/pull/7/head"]);
  await sb.git(repo, ["switch", "-q", "main"]);
  await sb.git(repo, ["branch", "-q", "-D", "contribution"]);

  await createSession(sb, "pr-7", repo, ["--pr", "7"]);

  const worktree = worktreePath(sb, repo, "pr-7");
  expect(await sb.git(worktree, ["symbolic-ref", "--short", "HEAD"])).toBe("pr/7");
  expect(await sb.git(worktree, ["rev-parse", "HEAD"])).toBe(head);
  expect(existsSync(join(worktree, "patch.txt"))).toBe(true);

  // csm made pr/7, so --delete-branch takes it away again.
  expect((await sb.csm(["kill", "pr-7", "--delete-branch"])).code).toBe(0);
  expect(await sb.git(repo, ["branch", "--list", "pr/7"])).toBe("");
});

test("a --pr that is not a positive integer is refused, and a missing one leaves nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });

  for (const hostile of ["1;x", "0", "-3", "7 ", "$(touch x)", "1e3"]) {
    const result = await sb.csm(["create", "bad", "--repo", repo, "--pr", hostile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toStartWith("csm: ");
  }

  const missing = await sb.csm(["create", "bad", "--repo", repo, "--pr", "99"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("99");
  expect(await sb.git(repo, ["branch", "--list", "pr/*"])).toBe("");
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
  expect(await hasTmuxSession(sb, "bad")).toBe(false);
});

test("--pr falls back to GitLab's refs/merge-requests/N/head", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.git(repo, ["commit", "-q", "--allow-empty", "-m", "a merge request"]);
  const head = await sb.git(repo, ["rev-parse", "HEAD"]);
  await sb.git(repo, ["push", "-q", "origin", "HEAD:refs/merge-requests/3/head"]);
  await sb.git(repo, ["reset", "-q", "--hard", "HEAD~1"]);

  await createSession(sb, "mr-3", repo, ["--pr", "3"]);

  expect(await sb.git(worktreePath(sb, repo, "mr-3"), ["rev-parse", "HEAD"])).toBe(head);
});
