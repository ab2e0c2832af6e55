import { expect, test, setDefaultTimeout } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, csmBranches, expectNothingLeft, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Commits that are on no remote and not merged into the base exist nowhere else:
// deleting the branch would lose them, so kill refuses and lists them until --force.
test("kill --delete-branch refuses a branch with unpushed commits until --force", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "unpushed", repo);
  const worktree = worktreePath(sb, repo, "unpushed");
  await writeFile(join(worktree, "feature.txt"), "work\n");
  await sb.git(worktree, ["add", "feature.txt"]);
  await sb.git(worktree, ["commit", "-q", "-m", "add the login feature"]);
  const commit = await sb.git(worktree, ["rev-parse", "--short", "HEAD"]);

  const refused = await sb.csm(["kill", "unpushed", "--delete-branch"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toStartWith("csm: ");
  expect(refused.stderr).toContain("add the login feature");
  expect(refused.stderr).toContain(commit);
  expect(await hasTmuxSession(sb, "unpushed")).toBe(true);
  expect((await csmBranches(sb, repo)).length).toBe(1);

  const forced = await sb.csm(["kill", "unpushed", "--delete-branch", "--force"]);
  expect(forced).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "unpushed");
});

test("commits pushed to the remote do not block kill", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "pushed", repo);
  const worktree = worktreePath(sb, repo, "pushed");
  await writeFile(join(worktree, "feature.txt"), "work\n");
  await sb.git(worktree, ["add", "feature.txt"]);
  await sb.git(worktree, ["commit", "-q", "-m", "pushed work"]);
  await sb.git(worktree, ["push", "-q", "origin", "HEAD"]);

  const killed = await sb.csm(["kill", "pushed", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "pushed");
});

test("commits already merged into the base do not block kill", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "merged", repo);
  const worktree = worktreePath(sb, repo, "merged");
  await writeFile(join(worktree, "feature.txt"), "work\n");
  await sb.git(worktree, ["add", "feature.txt"]);
  await sb.git(worktree, ["commit", "-q", "-m", "merged work"]);
  const branch = await sb.git(worktree, ["rev-parse", "--abbrev-ref", "HEAD"]);
  await sb.git(repo, ["merge", "-q", "--ff-only", branch]);

  const killed = await sb.csm(["kill", "merged", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "merged");
});
