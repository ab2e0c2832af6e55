import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, expectNothingLeft, findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// tmux is the truth about what runs: a session whose tmux session vanished behind csm's
// back is listed as dead (not dropped), and `kill` still cleans up what is left.
test("a session whose tmux session is gone is listed dead and can still be killed", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "vanished", repo);

  expect(await sb.tmux(["kill-session", "-t", "=csm-vanished"])).toMatchObject({ code: 0 });

  const session = await findSession(sb, "vanished");
  expect(session?.status).toBe("dead");
  expect(session?.statusReason).toMatch(/tmux/i);

  const killed = await sb.csm(["kill", "vanished", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  await expectNothingLeft(sb, repo, "vanished");
});
