import { expect, test } from "bun:test";
import type { ArchiveListItem, Postmortem } from "../../src/core/sessions/archive-show.ts";
import { ArchiveTab, type ArchiveApi } from "../../src/tui/archive-tab.ts";
import { answered, withPostmortem } from "../../src/tui/archive-view-state.ts";
import { keysFor, resolveKey } from "../../src/tui/keys/keys-for.ts";
import { applyPureAction } from "../../src/tui/keys/pure-actions.ts";
import { ALL_TABLES, TABLES_BY_MODE } from "../../src/tui/keys/tables.ts";
import { applySessions, back, formFailed, initialModel, selectSession, setConnection, setMode, typeText, type TuiModel } from "../../src/tui/model.ts";
import { dashboardView } from "../../src/tui/views/dashboard.ts";
import { footerView } from "../../src/tui/views/footer.ts";
import { helpLines } from "../../src/tui/views/help.ts";
import { plainText, visibleWidth } from "../../src/tui/views/markup.ts";
import { liveSession } from "../helpers/live-session.ts";

// The Archive view (`A`): ended sessions newest first, a postmortem on Enter, Esc/q back;
// and rename (`e` in a session's view): a one-line prompt for the conversation's title.

const now = new Date("2026-11-21T12:00:00.000Z");

const entry = (id: number, name: string, extra: Partial<ArchiveListItem> = {}): ArchiveListItem => ({
  id,
  host: "local",
  name,
  repo: "/home/ada/src/api",
  branch: `csm/${name}-20261121-090000`,
  worktree: `/home/ada/.csm/worktrees/api/${name}`,
  claudeSessionId: "4f1c2a9e-0000-4000-8000-000000000001",
  transport: "bridge",
  startedAt: "2026-11-21T09:00:00.000Z",
  endedAt: "2026-11-21T11:57:00.000Z",
  endKind: "killed",
  endReason: "killed by the user (csm kill)",
  exitStatus: null,
  signal: null,
  turns: 3,
  costUsd: 0.0421,
  lastTool: null,
  lastMessage: "All tests pass.",
  lastError: null,
  paneLog: `/state/pane-logs/${name}.log`,
  removedAt: "2026-11-21T11:57:00.000Z",
  session: "removed",
  ...extra,
});

const rows: ArchiveListItem[] = [
  entry(7, "nightly", {
    endKind: "signal",
    endReason: "claude was killed by SIGKILL",
    signal: "SIGKILL",
    lastTool: { name: "Bash", input: "echo {waiting}; sleep 30", at: null, answered: false },
    lastMessage: "let me wait \u001b]0;pwned\u0007",
    endedAt: "2026-11-21T11:58:00.000Z",
    removedAt: null,
    session: "listed",
  }),
  entry(3, "fix-login", { endedAt: "2026-11-18T10:00:00.000Z" }),
];

const report: Postmortem = {
  entry: rows[0]!,
  transcript: {
    path: "/home/ada/.claude/projects/x/4f1c2a9e.jsonl",
    records: [
      { at: null, who: "user", text: "wait for {it}" },
      { at: null, who: "claude", text: "let me wait" },
      { at: null, who: "tool", text: "Bash echo waiting; sleep 30" },
    ],
    lastToolUse: null,
    lastError: { text: "API Error: 529 overloaded" },
  },
  paneTail: "› wait for it\n\n  Bash echo waiting\u001b[2J\n",
};

const connected = (): TuiModel =>
  setConnection(applySessions(initialModel(), [liveSession("api", { claudeSessionId: "4f1c2a9e-0000-4000-8000-000000000001" }), liveSession("fresh", { claudeSessionId: null })]), { state: "connected" });

const press = (model: TuiModel, key: string): TuiModel => {
  const resolved = resolveKey(model, key);
  if (!resolved || "disabled" in resolved) throw new Error(`${key} does nothing here: ${JSON.stringify(resolved)}`);
  const next = applyPureAction(model, resolved.action);
  if (!next) throw new Error(`${key} (${resolved.action}) is not pure`);
  return next;
};

const opened = (): TuiModel => {
  const model = press(connected(), "S-a");
  return { ...model, archive: answered(model.archive!, rows) };
};

const screen = (model: TuiModel, width = 120, height = 30) => dashboardView(model, now, width, height);
const text = (model: TuiModel, width = 120, height = 30) => screen(model, width, height).map(plainText).join("\n");

test("A opens the Archive view from the session list; Esc and q go back", () => {
  const model = press(connected(), "S-a");
  expect(model.mode).toBe("archive");
  expect(text(model)).toContain("Reading the archive…");
  expect(press(model, "escape")).toMatchObject({ mode: "list", archive: null });
  expect(press(model, "q")).toMatchObject({ mode: "list", archive: null });
  expect(resolveKey(setConnection(connected(), { state: "connecting" }), "S-a")).toEqual({ action: "archive", disabled: "hub not connected" });
});

test("the rows: name, host, ended ago, why, turns, cost, last tool, last message; newest first, foreign text escaped", () => {
  const model = opened();
  const lines = screen(model).map(plainText);
  const title = lines.find((line) => line.includes("LAST TOOL"))!;
  for (const column of ["NAME", "HOST", "ENDED", "WHY", "TURNS", "COST", "LAST MESSAGE"]) expect(title).toContain(column);
  expect(lines.join("\n")).toContain("2 ended sessions, newest first");
  expect(lines.find((line) => line.includes("nightly"))).toMatch(/^› nightly +local +2m +claude was killed by SIGKILL +3 +\$0\.0421 +Bash echo \{waiting\}; sleep 30 \(no r… +let me wait ␛]…/);
  expect(lines.find((line) => line.includes("fix-login"))).toMatch(/fix-login +local +3d +killed by the user \(csm kill\)/);
  const markup = screen(model).join("\n");
  expect(markup).not.toContain("\u001b");
  expect(markup).toContain("{open}waiting{close}");
  for (const width of [60, 80, 120]) for (const line of screen(model, width, 24)) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  const empty = { ...model, archive: answered(model.archive!, []) };
  expect(text(empty)).toContain("No session has ended here yet");
  expect(text({ ...model, archive: answered(model.archive!, { error: "the hub stopped" }) })).toContain("✗ the hub stopped");
});

test("↑↓ move; Enter shows the postmortem, escaped; PgDn scrolls it; Esc goes back to the rows", () => {
  expect(press(opened(), "down").archive!.selected).toBe(3);
  const footer = plainText(footerView(opened(), 200, 2).join(" "));
  for (const key of ["↑↓ move", "Enter postmortem", "Esc back", "? help"]) expect(footer).toContain(key);
  const model = press(opened(), "enter");
  expect(model.mode).toBe("archive-entry");
  expect(text(model)).toContain("Reading the postmortem of nightly…");
  const shown = { ...model, archive: withPostmortem(model.archive!, 7, report) };
  const all = text(shown, 120, 60);
  for (const expected of [
    "nightly@local  archive #7",
    "end reason     claude was killed by SIGKILL",
    "last tool use  Bash echo {waiting}; sleep 30 (no result)",
    "last error     API Error: 529 overloaded",
    "transcript tail",
    "user   wait for {it}",
    "tool   Bash echo waiting; sleep 30",
    "pane log tail",
    "› wait for it",
    "Bash echo waiting␛[2J",
  ])
    expect(all).toContain(expected);
  expect(screen(shown, 120, 60).join("\n")).not.toContain("\u001b");
  // A late answer about another entry is dropped.
  expect(withPostmortem(model.archive!, 3, report).postmortem).toBeNull();
  const scrolled = press(shown, "pagedown");
  expect(scrolled.archive!.scroll).toBe(10);
  expect(text(scrolled, 120, 20)).not.toContain("nightly@local");
  expect(press(scrolled, "pageup").archive!.scroll).toBe(0);
  expect(press(shown, "escape")).toMatchObject({ mode: "archive", archive: { selected: 7 } });
  expect(press(press(shown, "escape"), "q")).toMatchObject({ mode: "list", archive: null });
});

test("ArchiveTab asks for the list when the view opens and for the postmortem on Enter", async () => {
  const asked: string[] = [];
  const api: ArchiveApi = {
    list: async () => (asked.push("list"), rows),
    postmortem: async (id) => (asked.push(`postmortem ${id}`), report),
  };
  let model = connected();
  const tab = new ArchiveTab(api, () => model, (next) => (model = next));
  const step = async (key: string) => {
    const before = model;
    model = press(model, key);
    tab.afterKey(before, model);
    await Bun.sleep(0);
  };
  await step("S-a");
  expect(model.archive!.rows).toHaveLength(2);
  await step("enter");
  expect(asked).toEqual(["list", "postmortem 7"]);
  expect(model.archive!.postmortem).toBe(report);
  const failing = new ArchiveTab({ list: async () => Promise.reject(new Error("no route\nmore")), postmortem: api.postmortem }, () => model, (next) => (model = next));
  model = press(back(back(model)), "S-a");
  await failing.list();
  expect(model.archive!.error).toBe("no route");
});

test("e renames from a session's view: a one-line prompt, typed text (q too), Esc cancels; needs claude's conversation", () => {
  const detail = setMode(selectSession(connected(), "api@local"), "detail");
  expect(resolveKey(detail, "S-n")).toBeNull();
  let model = press(detail, "e");
  expect(model).toMatchObject({ mode: "rename", rename: { session: "api", host: "local", conversationId: "4f1c2a9e-0000-4000-8000-000000000001", text: "" } });
  for (const ch of "quiet {heron}") model = typeText(model, ch);
  expect(model.rename!.text).toBe("quiet {heron}");
  expect(resolveKey(model, "q")).toBeNull();
  expect(resolveKey(model, "enter")).toEqual({ action: "submit" });
  expect(applyPureAction(model, "submit")).toBeNull();
  const markup = screen(model).join("\n");
  expect(markup).toContain("quiet {open}heron{close}");
  expect(text(model)).toContain("Rename api's conversation");
  expect(text(formFailed(model, "no conversation matches"))).toContain("✗ no conversation matches");
  expect(press(model, "backspace").rename!.text).toBe("quiet {heron");
  expect(press(model, "escape")).toMatchObject({ mode: "detail", rename: null });
  // Before claude started there is nothing to name.
  const fresh = setMode(selectSession(connected(), "fresh@local"), "detail");
  expect(resolveKey(fresh, "e")).toEqual({ action: "rename", disabled: "claude has not started a conversation yet" });
  expect(keysFor(detail).some((k) => k.binding.action === "rename" && k.enabled)).toBe(true);
});

test("help and footer come from the tables: A and e are listed, and no mode binds a key twice in one table", () => {
  const help = helpLines(120).map(plainText).join("\n");
  expect(help).toMatch(/A +Every session that ended on this host/);
  expect(help).toMatch(/e +Name the session's conversation/);
  expect(help).toContain("Postmortem");
  expect(plainText(footerView(connected(), 300, 2).join(" "))).toContain("A archive");
  for (const [mode, tables] of Object.entries(TABLES_BY_MODE)) {
    for (const table of tables) {
      const keys = table.bindings.flatMap((binding) => binding.keys);
      expect([mode, table.title, keys.length]).toEqual([mode, table.title, new Set(keys).size]);
    }
  }
  expect(ALL_TABLES.flatMap((table) => table.bindings).filter((binding) => binding.keys.includes("S-a")).map((binding) => binding.action)).toEqual(["archive"]);
});
