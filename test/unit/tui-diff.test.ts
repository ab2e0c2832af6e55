import { expect, test } from "bun:test";
import type { DiffStat } from "../../src/core/sessions/diff-types.ts";
import type { HubClient } from "../../src/hub-client/client.ts";
import { DiffReader } from "../../src/tui/diff-reader.ts";
import { resolveKey } from "../../src/tui/keys/keys-for.ts";
import { applyPureAction } from "../../src/tui/keys/pure-actions.ts";
import { applyDiff, applySessions, back, initialModel, select, selectSession, setConnection, setMode, type TuiModel } from "../../src/tui/model.ts";
import { dashboardView } from "../../src/tui/views/dashboard.ts";
import { plainText, visibleWidth } from "../../src/tui/views/markup.ts";
import { liveSession } from "../helpers/live-session.ts";

// The session view's Diff tab: `d` opens it, ↑↓ pick a file, Page Down scrolls its diff,
// Esc goes back. What it shows comes from the hub (stat, then one file at a time).

const now = new Date("2026-11-21T12:00:00.000Z");
const stat: DiffStat = {
  session: "api",
  baseRef: "main",
  mergeBase: "4f1c2a9e",
  ahead: 2,
  behind: 1,
  added: 12,
  removed: 3,
  files: [
    { path: "src/router.ts", oldPath: null, status: "modified", binary: false, added: 10, removed: 3 },
    { path: "logo.png", oldPath: null, status: "added", binary: true, added: 0, removed: 0 },
    { path: "src/new-name.ts", oldPath: "src/old-name.ts", status: "renamed", binary: false, added: 2, removed: 0 },
  ],
};
const diffText = ["--- a/src/router.ts", "+++ b/src/router.ts", "@@ -1,3 +1,4 @@", ...Array.from({ length: 40 }, (_, i) => `+line ${i} \u001b]0;pwned\u0007`)].join("\n");

function inDetail(): TuiModel {
  const model = applySessions(setConnection(initialModel(), { state: "connected" }), [liveSession("api"), liveSession("web")]);
  return setMode(selectSession(model, "api@local"), "detail");
}

const press = (model: TuiModel, key: string) => {
  const resolved = resolveKey(model, key);
  if (!resolved || "disabled" in resolved) throw new Error(`${key} does nothing here`);
  return applyPureAction(model, resolved.action)!;
};

test("d opens the Diff tab on the selected session; Esc goes back to the session view", () => {
  const model = press(inDetail(), "d");
  expect(model.mode).toBe("diff");
  expect(model.diff).toMatchObject({ key: "api@local", stat: null, selected: 0 });
  expect(plainText(dashboardView(model, now, 80, 24).join("\n"))).toContain("Reading the diff…");
  const backAgain = press(model, "escape");
  expect(backAgain).toMatchObject({ mode: "detail", diff: null, selected: "api@local" });
});

test("the tab shows the stat, the selected file's diff coloured and escaped, and scrolls", () => {
  let model = press(inDetail(), "d");
  model = applyDiff(model, "api@local", { stat });
  model = applyDiff(model, "api@local", { file: { path: "src/router.ts", binary: false, diff: diffText } });
  const screen = dashboardView(model, now, 80, 24);
  for (const line of screen) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  const text = plainText(screen.join("\n"));
  expect(text).toContain("3 files, +12 -3 · 2 commits ahead, 1 behind");
  expect(text).toContain("M +10 -3");
  expect(text).toContain("binary");
  expect(text).toContain("src/old-name.ts → src/new-name.ts");
  expect(text).toContain("+line 0 ␛]0;pwned␇");
  expect(text).not.toContain("\u001b");
  // The colours: an added line green, the hunk header cyan, the file's counts green and red.
  const marked = screen.join("\n");
  expect(marked).toContain("{green-fg}+line 0 ␛]0;pwned␇{/green-fg}");
  expect(marked).toContain("{cyan-fg}@@ -1,3 +1,4 @@{/cyan-fg}");
  expect(marked).toMatch(/\{green-fg\}\+10\{\/green-fg\} \{red-fg\}-3\{\/red-fg\}/);
  const scrolled = plainText(dashboardView(press(model, "pagedown"), now, 80, 24).join("\n"));
  expect(scrolled).not.toContain("+line 0 ");
  expect(scrolled).toContain("+line 8 ");
});

test("↓ picks the next file, drops the old file's diff, and a late diff of another file is ignored", () => {
  let model = applyDiff(press(inDetail(), "d"), "api@local", { stat });
  model = applyDiff(model, "api@local", { file: { path: "src/router.ts", binary: false, diff: diffText } });
  model = select(model, 1);
  expect(model.diff).toMatchObject({ selected: 1, file: null });
  expect(plainText(dashboardView(model, now, 80, 24).join("\n"))).toContain("a binary file: not shown");
  expect(applyDiff(model, "api@local", { file: { path: "src/router.ts", binary: false, diff: diffText } }).diff!.file).toBeNull();
  expect(select(select(model, 5), 5).diff!.selected).toBe(2);
});

test("an error reading the diff is shown in the tab, and the stat feeds the list's changes", () => {
  const model = press(inDetail(), "d");
  expect(plainText(dashboardView(applyDiff(model, "api@local", { error: "the worktree is gone" }), now, 80, 24).join("\n"))).toContain("✗ the worktree is gone");
  expect(applyDiff(model, "api@local", { stat }).changes["api@local"]).toEqual({ files: 3, ahead: 2, behind: 1 });
  // A stat for another session only updates its changes.
  expect(applyDiff(back(model), "web@local", { stat }).diff).toBeNull();
});

test("the list shows each session's changes once the dashboard has read them", () => {
  const model = applySessions(setConnection(initialModel(), { state: "connected" }), [liveSession("api"), liveSession("web")]);
  const before = plainText(dashboardView(model, now, 120, 24).join("\n"));
  expect(before).not.toContain("CHANGES");
  const after = plainText(dashboardView(applyDiff(model, "api@local", { stat }), now, 120, 24).join("\n"));
  expect(after).toContain("CHANGES");
  expect(after).toMatch(/api\s.*3f ↑2↓1/);
});

test("sessions that changed nothing leave the CHANGES column out", () => {
  const model = applySessions(setConnection(initialModel(), { state: "connected" }), [liveSession("api")]);
  const untouched = { ...stat, files: [], ahead: 0, behind: 0 };
  expect(plainText(dashboardView(applyDiff(model, "api@local", { stat: untouched }), now, 120, 24).join("\n"))).not.toContain("CHANGES");
});

test("M opens the merge dialog on the selected session; Tab chooses how; Esc merges nothing", () => {
  let model = press(inDetail(), "S-m");
  expect(model.mode).toBe("merge");
  expect(model.merge).toMatchObject({ session: "api", mode: "merge" });
  model = press(press(model, "tab"), "tab");
  expect(model.merge!.mode).toBe("rebase");
  const screen = plainText(dashboardView(model, now, 80, 24).join("\n"));
  expect(screen).toContain("Merge api");
  expect(screen).toContain("replayed on the base");
  expect(press(model, "escape")).toMatchObject({ mode: "detail", merge: null });
});

test("Esc while the Diff tab is still reading stays: the stat that arrives after changes nothing but the list's column", async () => {
  // The stat's reply waits for the test; any later read (the first file's diff) is answered at once.
  const replies: ((value: unknown) => void)[] = [];
  const fileDiff = { path: "src/router.ts", binary: false, diff: diffText };
  let calls = 0;
  const hub = { request: () => (calls++ === 0 ? new Promise((resolve) => replies.push(resolve)) : Promise.resolve(fileDiff)) } as unknown as HubClient;
  let model = press(inDetail(), "d");
  const reader = new DiffReader(hub, () => model, (next) => (model = next));
  const opening = reader.openTab("api@local");
  model = press(model, "escape");
  expect(model).toMatchObject({ mode: "detail", diff: null });
  replies.shift()!(stat);
  await opening;
  expect(model).toMatchObject({ mode: "detail", diff: null });
  expect(model.changes["api@local"]).toEqual({ files: 3, ahead: 2, behind: 1 });
});

test("a new stat keeps the selected file by path: a file added above it moves the selection, never its diff under another name", () => {
  let model = applyDiff(press(inDetail(), "d"), "api@local", { stat });
  model = select(model, 2);
  model = applyDiff(model, "api@local", { file: { path: "src/new-name.ts", binary: false, diff: diffText } });
  const grown: DiffStat = { ...stat, files: [stat.files[0]!, { ...stat.files[0]!, path: "src/added.ts" }, ...stat.files.slice(1)] };
  model = applyDiff(model, "api@local", { stat: grown });
  expect(model.diff).toMatchObject({ selected: 3 });
  expect(model.diff!.file?.path).toBe("src/new-name.ts");
  // The selected file gone: the same place, and no diff until its own is read.
  const shrunk: DiffStat = { ...stat, files: stat.files.slice(0, 2) };
  model = applyDiff(model, "api@local", { stat: shrunk });
  expect(model.diff).toMatchObject({ selected: 1, file: null });
});
