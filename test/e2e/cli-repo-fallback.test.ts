import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Without --repo, create uses the config's defaultRepo, and failing that the repo the
// command runs in.
test("without --repo, create uses defaultRepo from the config", async () => {
  await using sb = await makeSandbox();
  const configured = await sb.makeRepo("configured");
  const here = await sb.makeRepo("here");
  await sb.writeConfig({ defaultRepo: configured });

  const result = await sb.csm(["create", "from-config", "--no-worktree"], { cwd: here });
  expect(result).toMatchObject({ code: 0 });
  expect((await findSession(sb, "from-config"))?.repo).toBe(configured);
});

test("without --repo or defaultRepo, create uses the current repo (from a subdirectory too)", async () => {
  await using sb = await makeSandbox();
  const here = await sb.makeRepo("here");
  const subdir = join(here, "src", "deep");
  await mkdir(subdir, { recursive: true });

  const result = await sb.csm(["create", "from-cwd"], { cwd: subdir });
  expect(result).toMatchObject({ code: 0 });
  const session = await findSession(sb, "from-cwd");
  expect(session?.repo).toBe(here);
  expect(session?.worktree).toBe(join(sb.paths.worktreeBase, "here", "from-cwd"));
});

test("without --repo outside any repo and with no defaultRepo, create says what to do", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["create", "nowhere"], { cwd: sb.paths.home });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain("--repo");
  expect(await findSession(sb, "nowhere")).toBeUndefined();
});
