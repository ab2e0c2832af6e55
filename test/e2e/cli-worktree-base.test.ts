import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("config worktreeBase (with ~) decides where worktrees go", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ worktreeBase: "~/worktrees" });

  await createSession(sb, "elsewhere", repo);

  const expected = join(sb.paths.home, "worktrees", "app", "elsewhere");
  expect(existsSync(expected)).toBe(true);
  expect((await findSession(sb, "elsewhere"))?.worktree).toBe(expected);
  expect(existsSync(join(sb.paths.worktreeBase, "app", "elsewhere"))).toBe(false);
});
