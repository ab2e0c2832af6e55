import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { commitFile, fingerprint, sessionWithCommit } from "../helpers/landing.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

// `csm merge` refuses whatever it cannot do cleanly, says why, and leaves everything as it
// was: a conflict is undone in every mode, down to the index and the working tree.

test("a conflict changes nothing, in every mode, and names the files", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "clash", "README.md");
  await commitFile(sb, repo, "README.md", "# app, as main has it\n", "main edits the README");
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  for (const mode of [[], ["--squash"], ["--rebase"]]) {
    const refused = await sb.csm(["merge", "clash", ...mode]);
    expect([mode, refused.code]).toEqual([mode, 1]);
    expect(refused.stderr).toStartWith("csm: ");
    expect(refused.stderr).toContain("conflict");
    expect(refused.stderr).toContain("  README.md");
    expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);
  }
});

test("a dirty checkout of the target is refused, naming the files; an ignored file is not in the way", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "dirty");
  await commitFile(sb, repo, ".gitignore", "*.log\n", "ignore logs");
  await writeFile(join(repo, "build.log"), "ignored\n");
  await writeFile(join(repo, "scratch.txt"), "not committed\n");
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  const refused = await sb.csm(["merge", "dirty"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("uncommitted changes");
  expect(refused.stderr).toContain("scratch.txt");
  expect(refused.stderr).not.toContain("build.log");
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);

  await sb.git(repo, ["add", "scratch.txt"]);
  await sb.git(repo, ["commit", "-q", "-m", "scratch"]);
  expect(await sb.csm(["merge", "dirty"])).toMatchObject({ code: 0 });
});

test("a checkout on another branch than the target is refused", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "elsewhere");
  await sb.git(repo, ["checkout", "-q", "-b", "experiment"]);
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  const refused = await sb.csm(["merge", "elsewhere"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("is on experiment, not main");
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);
});

test("uncommitted work in the session's worktree is refused, naming the files", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "unfinished");
  await writeFile(join(worktree, "feature.txt"), "edited, not committed\n");
  await writeFile(join(worktree, "new-file.txt"), "untracked\n");
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  const refused = await sb.csm(["merge", "unfinished"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("commit them, or tell claude to");
  expect(refused.stderr).toContain("feature.txt");
  expect(refused.stderr).toContain("new-file.txt");
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);
});

test("an --into that is not a branch name is bad usage, and is never run", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "hostile");
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  for (const into of ["../main", "$(touch x)", "-main", "@{-1}", "main..x"]) {
    const refused = await sb.csm(["merge", "hostile", "--into", into], { cwd: repo });
    expect([into, refused.code]).toEqual([into, 2]);
    expect(refused.stderr).toContain("not a valid branch name");
  }
  const missing = await sb.csm(["merge", "hostile", "--into", "no-such-branch"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("no branch named");
  expect(existsSync(join(repo, "x"))).toBe(false);
  expect(existsSync(join(sb.paths.root, "x"))).toBe(false);
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);
});

test("a hook that refuses the merge commit is reported, and the half-made merge undone", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const { worktree, branch } = await sessionWithCommit(sb, repo, "hooked");
  await commitFile(sb, repo, "other.txt", "meanwhile\n", "meanwhile on main");
  const hook = join(repo, ".git", "hooks", "pre-merge-commit");
  await writeFile(hook, "#!/bin/sh\necho 'merges need a ticket number' >&2\nexit 1\n", { mode: 0o755 });
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);

  const refused = await sb.csm(["merge", "hooked"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toStartWith("csm: git merge in ");
  expect(refused.stderr).toContain("was undone");
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);
});
