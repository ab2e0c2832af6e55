import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(40_000);

test("a real tool request raises the banner; Space jumps to it; y lets the file be created; N adds a deny rule", async () => {
  await using live = await makeLiveSandbox();
  const first = join(live.sb.paths.root, "created-by-y");
  const second = join(live.sb.paths.root, "never-created");
  live.fake.reply(bashReply(`touch ${first}`));
  live.fake.reply(textReply("first done"));
  await live.create("alpha", ["--prompt", "touch the first file"]);
  await live.create("beta");
  await live.waitForSession("alpha", "waiting", (s) => s.status === "waiting");

  const tui = await startTui(live.sb, { width: 120, height: 30 });
  const banner = await tui.waitFor(/1 request waiting/, "the approval banner");
  expect(banner).toContain("alpha");
  expect(banner).toContain("Space");

  await tui.keys("Space");
  const detail = await tui.waitFor("alpha asks to use Bash", "the request in the session view");
  expect(detail).toContain(`touch ${first}`);
  expect(detail).toMatch(/y\s+allow/);
  expect(existsSync(first)).toBe(false);

  await tui.keys("y");
  await live.waitForSession("alpha", "idle after y", (s) => s.status === "idle" && s.turns === 1);
  expect(existsSync(first)).toBe(true);
  await tui.waitForGone(/request waiting/, "the banner to go");

  // A second request, in another session, answered with N: denied, and a rule added.
  live.fake.reply(bashReply(`touch ${second}`));
  live.fake.reply(textReply("second done"));
  await live.sb.csm(["send", "beta", "touch the second file"]);
  await live.waitForSession("beta", "waiting", (s) => s.status === "waiting");
  await tui.keys("Escape");
  // Back on the list before the next key: an Escape and a key sent at once read as Alt+key.
  await tui.waitForGone(/Esc back/, "the session list");
  await tui.waitFor(/1 request waiting.*beta/s, "the banner for beta");
  await tui.keys("Space");
  await tui.waitFor("beta asks to use Bash", "beta's request");
  await tui.keys("N");
  await live.waitForSession("beta", "idle after N", (s) => s.status === "idle");
  expect(existsSync(second)).toBe(false);
  const rules = JSON.parse(readFileSync(live.sb.paths.configFile, "utf8")).toolApprovalRules as { tool: string; action: string }[];
  expect(rules).toContainEqual(expect.objectContaining({ tool: "Bash", action: "deny" }));
});

test("the banner shows a long command whole, wrapped, never cut", async () => {
  await using live = await makeLiveSandbox();
  const long = `echo ${"segment-".repeat(30)}end > ${join(live.sb.paths.root, "long-output")}`;
  live.fake.reply(bashReply(long));
  await live.create("wordy", ["--prompt", "write it"]);
  await live.waitForSession("wordy", "waiting", (s) => s.status === "waiting");
  const tui = await startTui(live.sb, { width: 80, height: 30 });
  await tui.waitFor(/request waiting/);
  await tui.keys("Space");
  const screen = await tui.waitFor("wordy asks to use Bash", "the session view");
  expect(screen.replace(/\s/g, "")).toContain(long.replace(/\s/g, ""));
});

test("a request too long for the screen says it is cut, y will not allow it, and n still denies it", async () => {
  await using live = await makeLiveSandbox();
  const hidden = join(live.sb.paths.root, "HIDDEN-TAIL");
  const long = `echo ${"harmless-looking-padding ".repeat(60)}> /dev/null && touch ${hidden}`;
  live.fake.reply(bashReply(long));
  live.fake.reply(textReply("denied, fine"));
  await live.create("tall", ["--prompt", "do it"]);
  await live.waitForSession("tall", "waiting", (s) => s.status === "waiting");
  const tui = await startTui(live.sb, { width: 60, height: 20 });
  await tui.waitFor(/request waiting/);
  await tui.keys("Space");
  const screen = await tui.waitFor("more lines of this request not shown", "the cut marker");
  expect(screen).not.toContain("HIDDEN-TAIL");
  await tui.keys("y");
  await tui.waitFor("not allowed: the request is cut off on this screen", "the refusal");
  expect((await live.session("tall")).status).toBe("waiting");
  await tui.keys("n");
  await live.waitForSession("tall", "idle after n", (s) => s.status === "idle");
  expect(existsSync(hidden)).toBe(false);
});
