import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { findSession, worktreePath } from "../helpers/sessions.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("the create form's Branch field puts the session on an existing branch", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.git(repo, ["branch", "feature/x"]);
  await sb.writeConfig({ defaultRepo: repo });
  const tui = await startTui(sb);
  await tui.waitFor("no sessions", "the empty list");
  await tui.keys("c");
  await tui.waitFor("fill one at most", "the create form, saying base, branch and PR exclude each other");

  await tui.type("api");
  // Name → Repo → Base → Branch.
  await tui.keys("Tab", "Tab", "Tab");
  await tui.type("feature/x");
  await tui.keys("Enter");
  await tui.waitFor("created api", "the new session");

  expect(await findSession(sb, "api")).toMatchObject({ branch: "feature/x", repo });
  expect(await sb.git(worktreePath(sb, repo, "api"), ["symbolic-ref", "--short", "HEAD"])).toBe("feature/x");
});
