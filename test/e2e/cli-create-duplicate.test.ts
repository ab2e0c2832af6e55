import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, csmBranches, findSession, hasTmuxSession, listSessions, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("a second create with the same name is refused and the first session is untouched", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "fix-login", repo);
  const first = await findSession(sb, "fix-login");

  const again = await sb.csm(["create", "fix-login", "--repo", repo]);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toStartWith("csm: ");
  expect(again.stderr).toContain("fix-login");
  expect(again.stderr).toMatch(/exists|already/i);

  expect(await hasTmuxSession(sb, "fix-login")).toBe(true);
  expect(existsSync(worktreePath(sb, repo, "fix-login"))).toBe(true);
  expect(await csmBranches(sb, repo)).toEqual([first!.branch!]);
  // Identity, not live state: the session may have gone from starting to idle meanwhile.
  const identity = (s: { name: string; branch: string | null; worktree: string | null; createdAt: string; claudeSessionId?: string | null }) => [s.name, s.branch, s.worktree, s.createdAt, s.claudeSessionId];
  expect((await listSessions(sb)).map(identity)).toEqual([identity(first!)]);
});
