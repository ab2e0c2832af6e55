import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { commitFile, sessionWithCommit } from "../helpers/landing.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// `csm merge` lands a session's branch on its base branch in the repo's own checkout, in
// each of the ways people land work: fast-forward, merge commit, squash, rebase.

test("a branch the base has not moved past fast-forwards the base", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { commit } = await sessionWithCommit(sb, repo, "ff");

  const merged = await sb.csm(["merge", "ff"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(merged.stdout).toContain("fast-forward");
  expect(await sb.git(repo, ["rev-parse", "main"])).toBe(commit);
  expect(await sb.git(repo, ["status", "--porcelain"])).toBe("");

  const again = await sb.csm(["merge", "ff"]);
  expect(again).toMatchObject({ code: 0 });
  expect(again.stdout).toContain("nothing to merge");
});

test("a base that moved on gets a merge commit, with --message as its message", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { commit } = await sessionWithCommit(sb, repo, "mc");
  const mainBefore = await commitFile(sb, repo, "other.txt", "meanwhile\n", "meanwhile on main");

  const merged = await sb.csm(["merge", "mc", "--message", "Land mc's feature"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(merged.stdout).toContain("merge commit");
  const parents = (await sb.git(repo, ["rev-list", "--parents", "-n", "1", "main"])).split(" ").slice(1);
  expect(parents).toEqual([mainBefore, commit]);
  expect(await sb.git(repo, ["log", "-1", "--format=%s", "main"])).toBe("Land mc's feature");
  expect(await sb.git(repo, ["status", "--porcelain"])).toBe("");
});

test("--squash makes one commit on the base that names the session", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, commit } = await sessionWithCommit(sb, repo, "sq");
  await commitFile(sb, worktree, "second.txt", "more\n", "sq: second step");
  const mainBefore = await sb.git(repo, ["rev-parse", "main"]);

  const merged = await sb.csm(["merge", "sq", "--squash"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(merged.stdout).toContain("squashed 2 commits");
  expect(await sb.git(repo, ["rev-list", "--parents", "-n", "1", "main"])).toBe(`${await sb.git(repo, ["rev-parse", "main"])} ${mainBefore}`);
  const message = await sb.git(repo, ["log", "-1", "--format=%B", "main"]);
  expect(message).toContain("csm session sq");
  expect(message).toContain("sq: second step");
  expect(await sb.git(repo, ["ls-tree", "--name-only", "main"])).toBe("README.md\nfeature.txt\nsecond.txt");
  expect(await sb.git(repo, ["merge-base", "--is-ancestor", commit, "main"]).catch(() => "not an ancestor")).toBe("not an ancestor");

  // Squashed again: nothing to commit, and no message left behind for the next `git commit`.
  const again = await sb.csm(["merge", "sq", "--squash"]);
  expect(again.code).toBe(0);
  expect(existsSync(join(repo, ".git", "SQUASH_MSG"))).toBe(false);
  expect(await sb.git(repo, ["status", "--porcelain"])).toBe("");

  // The squashed commits are on no branch but their own, yet nothing of them would be lost.
  const killed = await sb.csm(["kill", "sq", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
});

test("--rebase replays the branch onto the base in the session's worktree, then fast-forwards the base", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "rb");
  const mainBefore = await commitFile(sb, repo, "other.txt", "meanwhile\n", "meanwhile on main");

  const merged = await sb.csm(["merge", "rb", "--rebase"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(merged.stdout).toContain("rebased 1 commit");
  const main = await sb.git(repo, ["rev-parse", "main"]);
  expect(await sb.git(repo, ["rev-parse", branch])).toBe(main);
  expect(await sb.git(repo, ["rev-list", "--parents", "-n", "1", "main"])).toBe(`${main} ${mainBefore}`);
  expect(await sb.git(worktree, ["rev-parse", "HEAD"])).toBe(main);
  expect(await sb.git(worktree, ["status", "--porcelain"])).toBe("");
});

test("--into lands on another branch, and kill then counts the work as saved", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { commit } = await sessionWithCommit(sb, repo, "rel");
  await sb.git(repo, ["checkout", "-q", "-b", "release"]);

  const merged = await sb.csm(["merge", "rel", "--into", "release"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(await sb.git(repo, ["rev-parse", "release"])).toBe(commit);
  expect(await sb.git(repo, ["rev-parse", "main"])).not.toBe(commit);

  const killed = await sb.csm(["kill", "rel", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(killed.stderr).toBe("");
});

test("a session started from a commit needs --into", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const base = await sb.git(repo, ["rev-parse", "HEAD"]);
  await createSession(sb, "detached", repo, ["--base", base]);
  await commitFile(sb, worktreePath(sb, repo, "detached"), "x.txt", "x\n", "work");

  const refused = await sb.csm(["merge", "detached"]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toStartWith("csm: ");
  expect(refused.stderr).toContain("--into");
  expect(await sb.git(repo, ["rev-parse", "main"])).toBe(base);
});
