import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, csmBranches, findSession, gitWorktrees, hasTmuxSession, waitForClaudeLaunches } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// --no-worktree runs claude in the repo itself: no branch, no worktree, and killing the
// session must never remove the repo.
test("--no-worktree runs in the repo and kill leaves the repo alone", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  await createSession(sb, "in-place", repo, ["--no-worktree"]);
  expect(await csmBranches(sb, repo)).toEqual([]);
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
  expect(existsSync(join(sb.paths.worktreeBase, "app"))).toBe(false);

  const session = await findSession(sb, "in-place");
  expect(session?.repo).toBe(repo);
  expect(session?.status).not.toBe("dead");
  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.cwd).toBe(repo);

  const killed = await sb.csm(["kill", "in-place", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(await hasTmuxSession(sb, "in-place")).toBe(false);
  expect(await readFile(join(repo, "README.md"), "utf8")).toBe("# app\n");
  expect(await sb.git(repo, ["rev-parse", "--abbrev-ref", "HEAD"])).toBe("main");
  expect(await findSession(sb, "in-place")).toBeUndefined();
});
