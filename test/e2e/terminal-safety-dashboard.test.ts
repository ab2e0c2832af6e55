import { expect, test, setDefaultTimeout } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(40_000);

// A reply full of escape sequences, CJK and emoji: the dashboard shows the sequences as
// text (the terminal obeys none: its title stays), and every row still fits 80 cells.
const REPLY = "日本語の🎉✅ done \x1b]0;pwned\x07\x1b[2J\x9b31m tail 한국어 文字化け 😀😀😀😀 and much more text to cut";

test("claude's escape sequences show as text on the dashboard, and wide characters keep to their cells", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply(REPLY));
  await live.create("wide", ["--prompt", "say something wide"]);
  await live.waitForSession("wide", "idle", (s) => s.status === "idle" && s.turns === 1);

  const tui = await startTui(live.sb, { width: 80, height: 24 });
  const list = await tui.waitFor("日本語", "the last message in the list");
  for (const row of list.split("\n")) expect(Bun.stringWidth(row)).toBeLessThanOrEqual(80);
  // The row is cut with "…" exactly at the screen's edge: no cell lost, none spilled.
  const row = list.split("\n").find((line) => line.includes("日本語"))!;
  expect(row).toEndWith("日本語の🎉✅ done ␛…");
  expect(Bun.stringWidth(row)).toBe(80);

  // Back and forth: blessed redraws only the cells it believes changed, so a width it
  // guessed wrong leaves pieces of one screen on the next.
  for (let round = 0; round < 3; round++) {
    await tui.keys("Enter");
    const detail = await tui.waitFor("␛]0;pwned␇", "the reply, escaped, in the session's log");
    for (const line of detail.split("\n")) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(80);
    expect(detail).toContain("\\x9b31m");
    expect(detail.split("\n").find((line) => line.startsWith("tmux"))).toMatch(/^tmux\s+csm-wide\s*$/);
    const again = await tui.pressUntil("Escape", "LAST MESSAGE", "the list again");
    expect(again.split("\n").find((line) => line.includes("日本語"))).toEndWith("日本語の🎉✅ done ␛…");
  }

  // The terminal saw no sequence from the reply: the pane's title is not "pwned" and the
  // screen was not cleared (the list row above still rendered, the header is there).
  expect((await live.sb.tmuxOn(tui.socket, ["display", "-p", "-t", "=tui:", "#{pane_title}"])).stdout).not.toContain("pwned");
  const raw = await tui.screenWithColours();
  expect(raw).not.toContain("\x1b]");
  expect(raw).not.toContain("\x1b[2J");
  expect(raw).toContain("csm");
});
