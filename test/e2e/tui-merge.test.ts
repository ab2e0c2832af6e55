import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession, worktreePath } from "../helpers/sessions.ts";
import { startTui } from "../helpers/tui.ts";

// From "agent done" to "work landed" in a few keys: M merges the session's branch into its
// base in the repository's checkout, and the dashboard then offers to kill the session.

setDefaultTimeout(45_000);

test("M merges (after choosing how), then the kill dialog is offered; a refused merge stays in the dialog", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "land", repo);
  const worktree = worktreePath(sb, repo, "land");
  writeFileSync(join(worktree, "feature.txt"), "done\n");
  await sb.git(worktree, ["add", "feature.txt"]);
  await sb.git(worktree, ["commit", "-q", "-m", "the feature"]);

  const tui = await startTui(sb, { width: 100, height: 30 });
  await tui.waitFor("land");
  await tui.keys("Enter");
  await tui.waitFor("claude id", "the session view");

  // A dirty checkout of the base is refused, and nothing changes.
  writeFileSync(join(repo, "stray.txt"), "not committed\n");
  await tui.keys("M");
  await tui.waitFor("Merge land", "the merge dialog");
  await tui.keys("Tab");
  await tui.waitFor(/ squash .*one commit/, "squash chosen");
  await tui.keys("Enter");
  await tui.waitFor("stray.txt", "the refusal, naming the file, in the dialog");
  expect(await sb.git(repo, ["log", "-1", "--format=%s"])).not.toBe("the feature");

  await sb.run(["rm", join(repo, "stray.txt")]);
  await tui.keys("Tab", "Tab");
  await tui.waitFor(/ merge .*fast-forward/, "merge chosen");
  await tui.keys("Enter");
  await tui.waitFor("kill the session now?", "the kill offer after the merge");
  expect(await sb.git(repo, ["log", "-1", "--format=%s"])).toBe("the feature");
  await tui.keys("y");
  // Its notice ("killed land") may give way at once to the list's own ("land@local is gone").
  await tui.waitFor(/killed land|land@local is gone/, "the session killed");
  expect(await findSession(sb, "land")).toBeUndefined();
});

test("P pushes the session's branch to origin", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await createSession(sb, "ship", repo);
  const tui = await startTui(sb, { width: 100, height: 30 });
  await tui.waitFor("ship");
  await tui.keys("P");
  const screen = await tui.waitFor(/pushed csm\/ship-\S+ to origin/, "the push notice");
  const branch = /pushed (csm\/ship-\S+) to origin/.exec(screen)![1]!;
  expect(await sb.git(repo, ["ls-remote", "--heads", "origin", branch])).toContain(branch);
});
