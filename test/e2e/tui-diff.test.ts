import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";
import { startTui } from "../helpers/tui.ts";

// The Diff tab driven by keys, as a person would: real git, real tmux, the real hub.

setDefaultTimeout(45_000);

test("d shows what the session changed: the files, then each file's diff; the list shows the changes", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "work", repo);
  const worktree = worktreePath(sb, repo, "work");
  writeFileSync(join(worktree, "committed.txt"), "one\ntwo\n");
  await sb.git(worktree, ["add", "committed.txt"]);
  await sb.git(worktree, ["commit", "-q", "-m", "add committed.txt"]);
  writeFileSync(join(worktree, "untracked.txt"), "fresh line \u001b]0;pwned\u0007\n");

  const tui = await startTui(sb, { width: 100, height: 30 });
  await tui.waitFor(/work\s.*2f ↑1/, "the list's changes column");
  await tui.keys("Enter");
  await tui.waitFor("claude id", "the session view");
  await tui.keys("d");
  const tab = await tui.waitFor("+one", "the first file's diff");
  expect(tab).toContain("2 files, +3 -0 · 1 commit ahead, 0 behind");
  expect(tab).toContain("committed.txt");
  await tui.keys("Down");
  const second = await tui.waitFor("+fresh line", "the second file's diff");
  // A file's contents are text: its escape sequence shows, the terminal never sees it.
  expect(second).toContain("␛]0;pwned␇");
  expect((await sb.tmuxOn(tui.socket, ["display", "-p", "-t", "=tui:", "#{pane_title}"])).stdout).not.toContain("pwned");
  // A file changed by hand sends no event: r counts again.
  writeFileSync(join(worktree, "by-hand.txt"), "edited by a person\n");
  await tui.keys("r");
  const counted = await tui.waitFor("3 files, +4 -0", "the tab counted again");
  expect(counted).toContain("by-hand.txt");
  await tui.keys("Escape");
  await tui.waitFor("claude id", "the session view again");
  await tui.keys("q");
});
