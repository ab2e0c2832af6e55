import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, expectNothingLeft, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Removing a worktree with uncommitted work loses it: kill refuses, names the files,
// and changes nothing until --force.
test("kill refuses a worktree with uncommitted changes until --force", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "dirty", repo);
  const worktree = worktreePath(sb, repo, "dirty");
  await writeFile(join(worktree, "README.md"), "# app, edited\n");
  await writeFile(join(worktree, "notes.txt"), "untracked work\n");

  const refused = await sb.csm(["kill", "dirty", "--delete-branch"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toStartWith("csm: ");
  expect(refused.stderr).toContain("README.md");
  expect(refused.stderr).toContain("notes.txt");
  expect(refused.stderr).toContain("--force");

  expect(await hasTmuxSession(sb, "dirty")).toBe(true);
  expect(existsSync(join(worktree, "notes.txt"))).toBe(true);

  const forced = await sb.csm(["kill", "dirty", "--delete-branch", "--force"]);
  expect(forced).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "dirty");
});
