import { expect, test, setDefaultTimeout } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("--base starts the branch at an older commit and records it", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const older = await sb.git(repo, ["rev-parse", "HEAD"]);
  await sb.git(repo, ["tag", "v1"]);
  await writeFile(join(repo, "later.txt"), "later\n");
  await sb.git(repo, ["add", "later.txt"]);
  await sb.git(repo, ["commit", "-q", "-m", "later commit"]);

  await createSession(sb, "from-v1", repo, ["--base", "v1"]);

  const worktree = worktreePath(sb, repo, "from-v1");
  expect(await sb.git(worktree, ["rev-parse", "HEAD"])).toBe(older);
  const session = await findSession(sb, "from-v1");
  expect(session?.baseRef).toBe("v1");
  expect(session?.baseCommit).toBe(older);
});
