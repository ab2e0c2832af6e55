import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, csmBranches, findSession, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("kill keeps the branch unless --delete-branch is given", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "keeper", repo);
  const branch = (await findSession(sb, "keeper"))!.branch!;

  const killed = await sb.csm(["kill", "keeper"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(await hasTmuxSession(sb, "keeper")).toBe(false);
  expect(existsSync(worktreePath(sb, repo, "keeper"))).toBe(false);
  expect(await findSession(sb, "keeper")).toBeUndefined();
  expect(await csmBranches(sb, repo)).toEqual([branch]);
});

test("`csm k NAME --delete-branch` removes the branch too", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "goner", repo);
  await createSession(sb, "survivor", repo);

  const killed = await sb.csm(["k", "goner", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(await hasTmuxSession(sb, "goner")).toBe(false);
  expect(existsSync(worktreePath(sb, repo, "goner"))).toBe(false);
  expect(await findSession(sb, "goner")).toBeUndefined();
  // The other session is untouched.
  expect(await hasTmuxSession(sb, "survivor")).toBe(true);
  expect(await csmBranches(sb, repo)).toEqual([(await findSession(sb, "survivor"))!.branch!]);
});

test("killing a session that does not exist fails clearly", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["kill", "nobody"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain("nobody");
});
