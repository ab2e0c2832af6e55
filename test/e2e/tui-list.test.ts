import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession } from "../helpers/sessions.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("the dashboard lists the sessions made by the CLI, opens one, shows help, and quits cleanly", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  for (const name of ["fix-login", "api-refactor"]) await createSession(sb, name, repo);
  const tui = await startTui(sb, { width: 100, height: 30 });

  const screen = await tui.waitFor("fix-login", "the sessions");
  expect(screen).toContain("api-refactor");
  expect(screen).toMatch(/csm\s+hosts: local/);
  expect(screen).toContain("2 idle");
  expect(screen).toContain("q quit");

  await tui.keys("Down", "Enter");
  const detail = await tui.waitFor("worktree", "the session detail");
  expect(detail).toContain("csm-fix-login");
  expect(detail).toContain("claude id");
  await tui.keys("Escape");
  await tui.waitFor("NAME", "the list again");

  await tui.keys("?");
  // The help's own title: "help" alone is also in the list's footer.
  const help = await tui.waitFor("csm — keys", "the help");
  for (const key of ["create", "kill", "attach", "filter", "quit"]) expect(help.toLowerCase()).toContain(key);
  await tui.keys("Escape");
  // The help must be gone before the next key: an Escape and a "/" that reach the terminal
  // in one read are Meta-/ to any terminal program, not two keys.
  await tui.waitForGone("csm — keys", "the help to close");

  await tui.keys("/");
  await tui.type("api");
  const filtered = await tui.waitForGone("fix-login", "the filter to hide fix-login");
  expect(filtered).toContain("api-refactor");
  await tui.keys("Escape");
  await tui.waitFor("fix-login", "the filter cleared");

  await tui.keys("q");
  await sb.waitFor(async () => !(await tui.alive()), { what: "csm to exit" });
  // Back on the normal screen: none of the dashboard is left on it.
  expect(await tui.screen()).not.toContain("api-refactor");
});

test("it fits 80×24 and adapts when the terminal shrinks or grows; NO_COLOR means no colour", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "a-rather-long-session-name", repo);
  const tui = await startTui(sb, { width: 80, height: 24, env: { NO_COLOR: "1" } });
  const small = await tui.waitFor("a-rather-long-ses", "the session, its name cut to fit");
  expect(small.split("\n").every((line) => line.length <= 80)).toBe(true);
  expect(await tui.screenWithColours()).not.toMatch(/\x1b\[3[0-7]m|\x1b\[38;5;/);

  await tui.resize(60, 20);
  const narrow = await tui.waitFor(/a-rather-long/, "the narrow screen");
  expect(narrow.split("\n").every((line) => line.length <= 60)).toBe(true);
  expect(narrow).toContain("idle");

  await tui.resize(140, 40);
  const wide = await tui.waitFor("a-rather-long-session-name", "the wide screen, with room for the whole name");
  expect(wide).toContain("MODEL");
});

test("a signal ends the dashboard and gives the terminal back", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "still-here", repo);
  const tui = await startTui(sb);
  await tui.waitFor("still-here");
  const pid = Number((await sb.tmuxOn(tui.socket, ["list-panes", "-t", "=tui:", "-F", "#{pane_pid}"])).stdout.trim());
  process.kill(pid, "SIGTERM");
  await sb.waitFor(async () => !(await tui.alive()), { what: "csm to exit on SIGTERM" });
  expect(await tui.screen()).not.toContain("still-here");
});
