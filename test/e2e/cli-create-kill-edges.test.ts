import { expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, expectNothingLeft, findSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux and git: what a review found at the edges of create and kill.
setDefaultTimeout(60_000);

test("git failing after it made the worktree (a post-checkout hook) leaves nothing behind, and the name can be used again", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const hook = join(repo, ".git", "hooks", "post-checkout");
  writeFileSync(hook, "#!/bin/sh\nexit 1\n");
  chmodSync(hook, 0o755);

  const failed = await sb.csm(["create", "hooked", "--repo", repo]);
  expect(failed.code).toBe(1);
  await expectNothingLeft(sb, repo, "hooked");

  rmSync(hook);
  await createSession(sb, "hooked", repo);
});

test("a session made from inside another session's worktree belongs to the repository, and outlives the other", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "outer", repo);
  const inside = await sb.csm(["create", "inner"], { cwd: worktreePath(sb, repo, "outer") });
  expect(inside.code).toBe(0);
  expect(await findSession(sb, "inner")).toMatchObject({ repo });

  expect((await sb.csm(["kill", "outer", "--delete-branch", "--force"])).code).toBe(0);
  const killed = await sb.csm(["kill", "inner", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0, stderr: "" });
  await expectNothingLeft(sb, repo, "inner");
});

test("a teardownScript added to the config while the hub runs is run by a kill through that hub", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await using _hub = await startTestHub(sb);
  await createSession(sb, "later", repo);
  const ran = join(sb.paths.root, "teardown-ran");
  await sb.writeConfig({ projects: { app: { repo, teardownScript: ["/usr/bin/touch", ran] } } });

  const killed = await sb.csm(["kill", "later"]);
  expect(killed.code).toBe(0);
  expect(existsSync(ran)).toBe(true);
});

test("an ignored file csm copied in (.worktreeinclude, copyFiles) and changed since is work: kill refuses to remove it", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  writeFileSync(join(repo, ".gitignore"), ".env\nlocal.json\n");
  writeFileSync(join(repo, ".worktreeinclude"), ".env\n");
  await sb.git(repo, ["add", ".gitignore", ".worktreeinclude"]);
  await sb.git(repo, ["commit", "-q", "-m", "ignore secrets"]);
  writeFileSync(join(repo, ".env"), "TOKEN=main\n");
  writeFileSync(join(repo, "local.json"), "{}\n");
  await sb.writeConfig({ projects: { app: { repo, copyFiles: ["local.json"] } } });
  await createSession(sb, "copies", repo);
  const worktree = worktreePath(sb, repo, "copies");
  expect(existsSync(join(worktree, ".env"))).toBe(true);

  // As copied: nothing to lose.
  expect((await sb.csm(["kill", "copies"])).code).toBe(0);
  await createSession(sb, "copies", repo);
  writeFileSync(join(worktree, ".env"), "TOKEN=rotated-in-the-session\n");
  writeFileSync(join(worktree, "local.json"), '{"port": 3001}\n');
  const refused = await sb.csm(["kill", "copies"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(".env (ignored by git; changed since csm copied it in)");
  expect(refused.stderr).toContain("local.json (ignored by git; changed since csm copied it in)");
  expect((await sb.csm(["kill", "copies", "--force"])).code).toBe(0);
});
