import { expect, setDefaultTimeout, test } from "bun:test";
import { conversationByHand, makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";

setDefaultTimeout(90_000);

// The History view driven by keys over a conversation the real claude wrote (no csm): h
// lists it, typing searches it, Enter tells about it, Esc goes back, r resumes it as a
// session that the list then shows selected.
test("h lists a conversation claude wrote, / finds it as you type, Enter tells about it, r resumes it", async () => {
  await using live = await makeLiveSandbox();
  const dir = await conversationByHand(live, "notes", "remember the word pelican", "Pelicans noted.");

  const tui = await startTui(live.sb, { width: 120, height: 30, env: live.claudeEnv });
  await tui.waitFor("No sessions yet", "the empty session list");
  await tui.keys("h");
  const rows = await tui.waitFor("remember the word pelican", "the conversation in the History view");
  expect(rows).toMatch(/› [0-9a-f]{8} local +notes +remember the word pelican +1 +\d+s transcript/);
  expect(rows).toContain("1 conversation, newest first");

  await tui.keys("/");
  await tui.type("pelican");
  const hits = await tui.waitFor('1 hit for "pelican"', "the search's hit");
  expect(hits).toContain("search: pelican");
  // The snippet under the row, the hit marked in colour.
  expect(hits).toMatch(/remember the word pelican .*transcript\n {11}remember the word pelican Pelicans noted\./);
  expect(await tui.screenWithColours()).toMatch(/remember the word \x1b\[1m\x1b\[33mpelican\x1b\[0m/);

  await tui.keys("Enter", "Enter");
  const info = await tui.waitFor("ended after a reply", "the conversation's info");
  expect(info).toContain(dir);
  expect(info).toContain("first prompt");
  expect(info).toMatch(/counts +1 turns · 1 replies/);

  await tui.keys("Escape");
  await tui.waitFor('1 hit for "pelican"', "the hits again");
  await tui.keys("Enter");
  await tui.waitFor("ended after a reply", "the info again");
  await tui.keys("r");
  const list = await tui.waitFor("resumed as session", "the session list with the resumed session");
  const name = /resumed as session (\S+)/.exec(list)![1]!;
  expect(list).toMatch(new RegExp(`› +${name} `));
  expect((await live.session(name)).claudeSessionId).toMatch(/^[0-9a-f-]{36}$/);
  await tui.keys("q");
});
