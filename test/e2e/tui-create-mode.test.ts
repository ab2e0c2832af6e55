import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { findSession } from "../helpers/sessions.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("the create form's Mode starts as configured, and Space on it makes the session headless", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ defaultRepo: repo });
  // Configured native: only the form's choice makes the session headless (the stand-in
  // claude speaks stream-json only).
  const tui = await startTui(sb, { env: { CSM_SESSION_MODE: "native" } });
  await tui.waitFor("no sessions", "the empty list");
  await tui.keys("c");
  await tui.waitFor("claude's own screen", "the form's Mode, native as configured");

  await tui.type("quiet");
  // Name → Repo → Base → Branch → PR number → PR remote → Mode.
  await tui.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab");
  await tui.waitFor("Space switches", "the focus on Mode");
  await tui.keys("Space");
  await tui.waitFor("claude -p, drawn by csm", "headless chosen");
  await tui.keys("Enter");
  await tui.waitFor("created quiet", "the new session");

  expect(await findSession(sb, "quiet")).toMatchObject({ name: "quiet", mode: "headless" });
});
