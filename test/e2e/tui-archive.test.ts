import { expect, setDefaultTimeout, test } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";

setDefaultTimeout(90_000);

// A session the real claude ran, ended by `csm kill`: A lists it in the Archive view with why
// it ended, Enter shows its postmortem (transcript and pane log tails), Esc and q go back.
test("A shows a session csm kill ended; Enter shows its postmortem; Esc and q go back", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("Herons counted."));
  await live.create("counter", ["--prompt", "count the herons"]);
  await live.waitForSession("counter", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(await live.sb.csm(["kill", "counter"])).toMatchObject({ code: 0 });

  const tui = await startTui(live.sb, { width: 140, height: 40, env: live.claudeEnv });
  await tui.waitFor("No sessions yet", "the empty session list");
  await tui.keys("A");
  const rows = await tui.waitFor("1 ended session, newest first", "the Archive view");
  expect(rows).toMatch(/› counter +local +\d+s +killed by the user \(csm kill\) +1 +\$[0-9.]+ +– +Herons counted\./);

  await tui.keys("Enter");
  const report = await tui.waitFor("pane log tail", "the postmortem");
  expect(report).toContain("counter@local");
  expect(report).toMatch(/end reason +killed by the user \(csm kill\)/);
  expect(report).toMatch(/last message +Herons counted\./);
  expect(report).toMatch(/user +count the herons/);
  expect(report).toMatch(/claude +Herons counted\./);
  expect(report).not.toContain("(no pane log)");

  await tui.keys("Escape");
  await tui.waitFor("1 ended session, newest first", "the rows again");
  await tui.keys("q");
  await tui.waitFor("No sessions yet", "the session list again");
  expect(await tui.alive()).toBe(true);
  await tui.keys("q");
});
