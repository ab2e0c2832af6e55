import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attachedClients } from "../helpers/attach.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession, worktreePath } from "../helpers/sessions.ts";
import { readClaudeLaunches } from "../helpers/fake-claude-log.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("c opens the create form; a bad name is shown in the form; a good one creates the session", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ defaultRepo: repo });
  const tui = await startTui(sb);
  await tui.waitFor("no sessions", "the empty list");
  await tui.keys("c");
  const form = await tui.waitFor(/name/i, "the create form");
  expect(form).toContain(repo);

  await tui.type("bad name;");
  await tui.keys("Enter");
  await tui.waitFor("not a valid name", "the error, in the form");
  expect(await tui.alive()).toBe(true);
  for (let i = 0; i < 9; i++) await tui.keys("BSpace");
  await tui.type("from-form");
  await tui.keys("Enter");
  await tui.waitFor("created from-form", "the new session");
  expect(await findSession(sb, "from-form")).toMatchObject({ name: "from-form", repo });
  expect(existsSync(worktreePath(sb, repo, "from-form"))).toBe(true);
});

test("a attaches to the session; detaching comes back to the dashboard as it was", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "visit", repo);
  const tui = await startTui(sb);
  await tui.waitFor("visit");
  await tui.keys("a");
  await sb.waitFor(async () => (await attachedClients(sb)).some((client) => client.startsWith("csm-visit:")), { what: "a client attached to csm-visit" });
  await tui.waitForGone("hosts: local", "the dashboard to step aside");

  expect(await sb.tmux(["detach-client", "-s", "csm-visit"])).toMatchObject({ code: 0 });
  const back = await tui.waitFor("hosts: local", "the dashboard back");
  expect(back).toContain("visit");
  await tui.keys("q");
  await sb.waitFor(async () => !(await tui.alive()), { what: "csm to exit" });
});

test("k asks first, says what goes, refuses unsaved work unless forced, then kills", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "doomed", repo);
  const worktree = worktreePath(sb, repo, "doomed");
  writeFileSync(join(worktree, "draft.txt"), "unsaved");
  const tui = await startTui(sb);
  await tui.waitFor("doomed");
  await tui.keys("k");
  const dialog = await tui.waitFor("csm-doomed", "the kill dialog");
  expect(dialog).toContain(worktree);

  await tui.keys("Enter");
  const refused = await tui.waitFor("draft.txt", "the refusal, listing the unsaved file");
  expect(refused).toContain("refusing to kill doomed");
  expect(existsSync(worktree)).toBe(true);

  await tui.keys("f", "d");
  await tui.waitFor(/branch/, "delete-branch shown");
  await tui.keys("Enter");
  await tui.waitFor("killed doomed", "the kill to go through");
  expect(existsSync(worktree)).toBe(false);
  expect(await findSession(sb, "doomed")).toBeUndefined();
  expect(await sb.git(repo, ["branch", "--list", "csm/*"])).toBe("");
});

test("m sends a message to the selected session; f stars it and it sorts first", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "aaa", repo);
  await createSession(sb, "zzz", repo);
  const tui = await startTui(sb);
  await tui.waitFor("zzz");
  await tui.keys("Down", "f");
  await sb.waitFor(async () => ((await findSession(sb, "zzz")) as { favourite?: boolean } | undefined)?.favourite === true, { what: "zzz starred in the hub" });
  const starred = await tui.waitFor("★", "the star");
  expect(starred.indexOf("zzz")).toBeLessThan(starred.indexOf("aaa"));

  await tui.keys("m");
  await tui.waitFor(/message/i, "the message form");
  await tui.type("hello from the dashboard");
  await tui.keys("Enter");
  await tui.waitFor(/sent to zzz|typed into zzz/, "the message sent");
  const launches = await readClaudeLaunches(sb.paths.claudeLog);
  await sb.waitFor(async () => (await readClaudeLaunches(sb.paths.claudeLog)).some((l) => JSON.stringify(l.stdin).includes("hello from the dashboard")), { what: "the stand-in to get it" });
  expect(launches.length).toBeGreaterThan(0);
});
