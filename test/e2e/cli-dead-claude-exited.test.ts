import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("a session whose claude exited is listed dead with its exit status", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "short-lived", repo, [], { env: { FAKE_CLAUDE_EXIT: "3" } });

  const session = await sb.waitFor(
    async () => {
      const found = await findSession(sb, "short-lived");
      return found?.status === "dead" ? found : undefined;
    },
    // Every poll is a whole `csm list` process; a calmer pace is closer to a person's.
    { what: "short-lived to be listed dead", timeoutMs: 15_000, intervalMs: 200 },
  );
  expect(session.statusReason).toMatch(/claude exited with status 3/);
});
