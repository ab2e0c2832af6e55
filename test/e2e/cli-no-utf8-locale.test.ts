import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// An SSH login or cron often has no UTF-8 locale; csm must still read tmux correctly.
test("sessions are seen alive without a UTF-8 locale", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "plain", repo);
  await sb.csm(["server", "stop"]);
  const result = await sb.csm(["list", "--json"], { env: { LANG: undefined, LC_ALL: "C", LC_CTYPE: undefined } });
  expect(result.code).toBe(0);
  // No hub runs, so the status is the last known one (stale); what matters is that tmux was
  // read right: a misread separator made every session look dead.
  const [listed] = JSON.parse(result.stdout) as { name: string; status: string; stale?: boolean }[];
  expect(listed).toMatchObject({ name: "plain", stale: true });
  expect(listed!.status).not.toBe("dead");
});
