import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { branchPattern, findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("`create --json` prints the session object that `list --json` shows", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const result = await sb.csm(["create", "scripted", "--repo", repo, "--json"]);
  expect(result).toMatchObject({ code: 0 });
  const created = JSON.parse(result.stdout);
  expect(created.name).toBe("scripted");
  expect(created.branch).toMatch(branchPattern("scripted"));
  const listed = await findSession(sb, "scripted");
  expect(listed).toMatchObject({ name: created.name, branch: created.branch, worktree: created.worktree, createdAt: created.createdAt });
});
