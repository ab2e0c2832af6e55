import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { expectNothingLeft } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("a claude that cannot be found is refused before anything is created", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  const result = await sb.csm(["create", "fix-login", "--repo", repo], { env: { CSM_CLAUDE_BIN: "/nonexistent/claude" } });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toMatch(/claude/i);
  expect(result.stderr).toContain("/nonexistent/claude");

  await expectNothingLeft(sb, repo, "fix-login");
});
