import { expect, test } from "bun:test";
import type { PaneInfo } from "../../src/adapters/tmux-format.ts";
import { mergeSessions } from "../../src/core/sessions/session-view.ts";
import type { SessionRecord } from "../../src/store/sessions.ts";

const record = (name: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  host: "local",
  name,
  repo: "/r",
  worktree: `/w/${name}`,
  branch: `csm/${name}-20261121-000000`,
  baseRef: "main",
  baseCommit: "abc",
  createdBranch: true,
  createdWorktree: true,
  createdAt: "2026-11-21T00:00:00.000Z",
  options: {},
  claudeSessionId: null,
  favourite: false,
  exitStatus: null,
  exitedAt: null,
  agentSecret: null,
  transport: null,
  ...extra,
});

const pane = (session: string, window: string, extra: Partial<PaneInfo> = {}): PaneInfo => ({
  session,
  window,
  paneDead: false,
  paneDeadStatus: null,
  sessionCreated: new Date("2026-11-21T00:00:00Z"),
  panePid: 1,
  sessionPath: "/w",
  ...extra,
});

test("a live session without a link is unknown", () => {
  const [view] = mergeSessions("local", [record("a")], [pane("csm-a", "agent"), pane("csm-a", "shell")]);
  expect(view).toMatchObject({ name: "a", status: "unknown", statusReason: null, tmuxSession: "csm-a", branch: "csm/a-20261121-000000" });
});

test("a session whose tmux session is gone is dead, not missing", () => {
  const [view] = mergeSessions("local", [record("a")], []);
  expect(view).toMatchObject({ status: "dead", statusReason: "tmux session csm-a is gone" });
});

test("the exit status recorded by the launcher explains a dead agent", () => {
  const [view] = mergeSessions("local", [record("a", { exitStatus: 3 })], [pane("csm-a", "agent", { paneDead: true })]);
  expect(view).toMatchObject({ status: "dead", statusReason: "claude exited with status 3" });
});

test("a dead pane without a recorded status is still dead", () => {
  const [view] = mergeSessions("local", [record("a")], [pane("csm-a", "agent", { paneDead: true }), pane("csm-a", "shell")]);
  expect(view).toMatchObject({ status: "dead", statusReason: "claude exited" });
});

test("a closed agent window means dead", () => {
  const [view] = mergeSessions("local", [record("a")], [pane("csm-a", "shell")]);
  expect(view).toMatchObject({ status: "dead", statusReason: "the agent window was closed" });
});

test("the mode comes from the stored transport: native for native, headless for any other; none for a session the store does not know", () => {
  const views = mergeSessions("local", [record("n", { transport: "native" }), record("b", { transport: "bridge" }), record("s", { transport: "sdk-url" }), record("old")], [pane("csm-stray", "agent")]);
  expect(views.map((v) => [v.name, v.mode])).toEqual([
    ["n", "native"],
    ["b", "headless"],
    ["s", "headless"],
    ["old", "headless"],
    ["stray", undefined],
  ]);
});

test("csm-named tmux sessions unknown to the store are shown; other sessions are not", () => {
  const views = mergeSessions("local", [], [pane("csm-orphan", "agent", { sessionPath: "/x" }), pane("personal", "bash")]);
  expect(views).toHaveLength(1);
  expect(views[0]).toMatchObject({ name: "orphan", status: "unknown", statusReason: "not in csm's store", worktree: "/x", repo: null });
});

test("prefix-similar names do not steal each other's panes", () => {
  const views = mergeSessions("local", [record("a"), record("ab")], [pane("csm-ab", "agent")]);
  expect(views.map((v) => [v.name, v.status])).toEqual([
    ["a", "dead"],
    ["ab", "unknown"],
  ]);
});
