import { expect, test, setDefaultTimeout } from "bun:test";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readClaudeLaunches } from "../helpers/fake-claude-log.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { expectNothingLeft } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Start is all-or-nothing: a setupScript that fails after the worktree exists takes the
// worktree, the branch and the tmux session with it, and the message says what failed.
test("a failing setupScript rolls back worktree, branch and tmux session", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const script = join(repo, "setup.sh");
  await writeFile(script, "#!/bin/sh\necho 'npm install exploded' >&2\nexit 1\n");
  await chmod(script, 0o755);
  await sb.git(repo, ["add", "setup.sh"]);
  await sb.git(repo, ["commit", "-q", "-m", "add failing setup script"]);
  await sb.writeConfig({ projects: { app: { repo, setupScript: "setup.sh" } } });

  const result = await sb.csm(["create", "broken-setup", "--repo", repo]);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toMatch(/setup/i);

  await expectNothingLeft(sb, repo, "broken-setup");
  expect(await readClaudeLaunches(sb.paths.claudeLog)).toEqual([]);
});
