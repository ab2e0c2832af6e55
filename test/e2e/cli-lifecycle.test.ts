import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { makeSandbox } from "../helpers/sandbox.ts";
import {

  ISO_8601,
  SESSION_STATUSES,
  branchPattern,
  createSession,
  expectNothingLeft,
  findSession,
  waitForClaudeLaunches,
  worktreePath,
} from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The whole life of one session against real tmux and git: create, list, look inside,
// kill with --delete-branch, and nothing remains.
test("create → list → tmux windows → kill --delete-branch leaves nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const head = await sb.git(repo, ["rev-parse", "HEAD"]);

  const created = await createSession(sb, "fix-login", repo);
  expect(created.stdout).toContain("created fix-login");

  const worktree = worktreePath(sb, repo, "fix-login");
  expect(existsSync(worktree)).toBe(true);

  const session = await findSession(sb, "fix-login");
  expect(session).toBeDefined();
  expect(session!.host).toBe("local");
  expect(SESSION_STATUSES).toContain(session!.status);
  expect(session!.status).not.toBe("dead");
  expect(session!.repo).toBe(repo);
  expect(session!.worktree).toBe(worktree);
  expect(session!.branch).toMatch(branchPattern("fix-login"));
  expect(session!.tmuxSession).toBe("csm-fix-login");
  expect(session!.baseCommit).toBe(head);
  expect(session!.createdAt).toMatch(ISO_8601);
  expect(Math.abs(Date.parse(session!.createdAt) - Date.now())).toBeLessThan(60_000);

  // The branch is checked out in the worktree, starting at the repo's HEAD.
  expect(await sb.git(worktree, ["rev-parse", "--abbrev-ref", "HEAD"])).toBe(session!.branch!);
  expect(await sb.git(worktree, ["rev-parse", "HEAD"])).toBe(head);

  const windows = await sb.tmux(["list-windows", "-t", "=csm-fix-login", "-F", "#{window_name}"]);
  expect(windows.stdout.split("\n").filter(Boolean)).toEqual(["agent", "shell"]);
  const shellPath = await sb.tmux(["display-message", "-p", "-t", "=csm-fix-login:shell", "#{pane_current_path}"]);
  expect(shellPath.stdout.trim()).toBe(worktree);

  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.cwd).toBe(worktree);

  const killed = await sb.csm(["kill", "fix-login", "--delete-branch"]);
  // toMatchObject on the whole result so a failure shows csm's stderr.
  expect(killed).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "fix-login");
});
