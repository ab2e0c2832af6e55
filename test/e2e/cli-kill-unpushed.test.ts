import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
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

const commitIn = async (sb: Awaited<ReturnType<typeof makeSandbox>>, worktree: string, file: string, message: string) => {
  await writeFile(join(worktree, file), `${message}\n`);
  await sb.git(worktree, ["add", file]);
  await sb.git(worktree, ["commit", "-q", "-m", message]);
  return sb.git(worktree, ["rev-parse", "--short", "HEAD"]);
};

test("a commit made on a detached HEAD is on no branch: kill refuses to remove the worktree that holds it", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "detached", repo);
  const worktree = worktreePath(sb, repo, "detached");
  await sb.git(worktree, ["checkout", "-q", "--detach"]);
  const commit = await commitIn(sb, worktree, "precious.txt", "precious detached work");

  const refused = await sb.csm(["kill", "detached"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${commit} precious detached work`);
  expect(await hasTmuxSession(sb, "detached")).toBe(true);
  expect((await sb.csm(["kill", "detached", "--force"])).code).toBe(0);
});

test("a worktree removed by hand leaves its branch the only copy of its commits: --delete-branch still refuses", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "gone", repo);
  const worktree = worktreePath(sb, repo, "gone");
  const commit = await commitIn(sb, worktree, "feature.txt", "work of a gone worktree");
  await rm(worktree, { recursive: true, force: true });

  const refused = await sb.csm(["kill", "gone", "--delete-branch"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${commit} work of a gone worktree`);
  expect((await csmBranches(sb, repo)).length).toBe(1);
});

test("work saved only by another session's branch is not saved once that branch goes: the second kill refuses", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "first", repo);
  const first = worktreePath(sb, repo, "first");
  const commit = await commitIn(sb, first, "first.txt", "the first session's work");
  const firstBranch = await sb.git(first, ["rev-parse", "--abbrev-ref", "HEAD"]);
  await createSession(sb, "second", repo, ["--base", firstBranch]);

  // The second session's branch holds the first's commit: deleting the first's branch loses nothing.
  expect((await sb.csm(["kill", "first", "--delete-branch"])).code).toBe(0);
  const refused = await sb.csm(["kill", "second", "--delete-branch"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${commit} the first session's work`);
});

test("work that appears while kill runs (a commit during the teardown) is found before anything is removed", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.writeConfig({ projects: { app: { repo, teardownScript: ["/bin/sh", "-c", "echo late > late.txt && git add late.txt && git commit -q -m 'committed during the teardown'"] } } });
  await createSession(sb, "late", repo);
  const worktree = worktreePath(sb, repo, "late");

  const refused = await sb.csm(["kill", "late", "--delete-branch"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toStartWith("csm: refusing to remove late's worktree: work appeared while it was being killed");
  expect(refused.stderr).toContain("committed during the teardown");
  expect(existsSync(join(worktree, "late.txt"))).toBe(true);
  expect((await csmBranches(sb, repo)).length).toBe(1);
  expect((await sb.csm(["list", "--json"])).stdout).toContain('"late"');
});
