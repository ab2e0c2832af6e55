import { expect, test } from "bun:test";
import { isNoServer, parsePanes, parseTmuxVersion } from "../../src/adapters/tmux-format.ts";

const recorded = await Bun.file(new URL("../fixtures/recorded/tmux-list-panes.txt", import.meta.url)).text();

test("parses list-panes -a recorded from tmux 3.3a: live, dead and foreign sessions", () => {
  const panes = parsePanes(recorded);
  expect(panes.map((p) => `${p.session}:${p.window}`)).toEqual([
    "csm-alive:agent",
    "csm-alive:shell",
    "csm-dead:agent",
    "csm-dead:shell",
    "personal:bash",
  ]);
  expect(panes[0]).toMatchObject({ paneDead: false, paneDeadStatus: null, sessionPath: "/tmp/rec dir", panePid: 28542 });
  expect(panes[0]!.sessionCreated.toISOString()).toBe(new Date(1795265370 * 1000).toISOString());
  // tmux 3.3a leaves pane_dead_status empty here: csm's launcher records the status itself.
  expect(panes[2]).toMatchObject({ paneDead: true, paneDeadStatus: null, sessionPath: "/tmp" });
});

test("a path containing the separator stays whole in the last field", () => {
  const [pane] = parsePanes("csm-x␟agent␟1␟3␟100␟7␟/tmp/a␟b\n");
  expect(pane).toMatchObject({ paneDead: true, paneDeadStatus: 3, sessionPath: "/tmp/a␟b" });
});

test("short or empty lines are skipped", () => {
  expect(parsePanes("\n\ncsm-x␟agent\n")).toEqual([]);
});

test("tmux versions", () => {
  expect(parseTmuxVersion("tmux 3.3a")).toEqual([3, 3]);
  expect(parseTmuxVersion("tmux next-3.5")).toEqual([3, 5]);
  expect(parseTmuxVersion("tmux 2.9")).toEqual([2, 9]);
  expect(parseTmuxVersion("nonsense")).toBeNull();
});

test("no-server messages are recognised", () => {
  expect(isNoServer("no server running on /tmp/tmux-0/x")).toBe(true);
  expect(isNoServer("error connecting to /tmp/tmux-0/x (No such file or directory)")).toBe(true);
  expect(isNoServer("unknown option -- z")).toBe(false);
});
