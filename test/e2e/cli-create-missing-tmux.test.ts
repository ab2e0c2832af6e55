import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { csmBranches, gitWorktrees, worktreePath } from "../helpers/sessions.ts";
import { existsSync } from "node:fs";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A PATH with git, a shell and bun but no tmux.
test("without tmux on PATH, create says so and leaves nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const bin = join(sb.paths.root, "bin-without-tmux");
  await mkdir(bin);
  for (const tool of ["git", "sh", "bash", "env"]) {
    const path = Bun.which(tool);
    if (path) await symlink(path, join(bin, tool));
  }
  await symlink(process.execPath, join(bin, "bun"));

  const result = await sb.csm(["create", "fix-login", "--repo", repo], { env: { PATH: bin } });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toMatch(/tmux/);

  expect(existsSync(worktreePath(sb, repo, "fix-login"))).toBe(false);
  expect(await csmBranches(sb, repo)).toEqual([]);
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
});
