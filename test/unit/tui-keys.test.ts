import { expect, test } from "bun:test";
import type { LiveSessionView } from "../../src/core/live/live-view.ts";
import { ACTION_NAMES, keyLabel, keysLabel } from "../../src/tui/keys/bindings.ts";
import { keysFor, resolveKey, acceptsText } from "../../src/tui/keys/keys-for.ts";
import { applyPureAction } from "../../src/tui/keys/pure-actions.ts";
import { ALL_TABLES, TABLES_BY_MODE } from "../../src/tui/keys/tables.ts";
import { applyPending, applySessions, initialModel, selectSession, setConnection, setMode, type TuiModel } from "../../src/tui/model.ts";
import { footerView } from "../../src/tui/views/footer.ts";
import { helpLines } from "../../src/tui/views/help.ts";
import { plainText } from "../../src/tui/views/markup.ts";
import { liveSession } from "../helpers/live-session.ts";

const session = (name: string, extra: Partial<LiveSessionView> = {}): LiveSessionView => liveSession(name, { createdAt: "2026-11-21T09:00:00.000Z", claudeSessionId: null, model: "claude-sonnet-4-5", turns: 1, costUsd: 0.02, lastMessage: "ok", ...extra });

const connected = (): TuiModel => setConnection(applySessions(initialModel(), [session("idle-one"), session("busy", { status: "working", pendingApprovals: 1 })]), { state: "connected" });
const normalize = (text: string) => text.replace(/\s+/g, " ");

test("every action is bound somewhere, and the help lists every binding's keys and text", () => {
  const bound = new Set(ALL_TABLES.flatMap((table) => table.bindings.map((binding) => binding.action)));
  expect([...bound].sort()).toEqual([...ACTION_NAMES].sort());
  const help = normalize(helpLines(120).map(plainText).join("\n"));
  for (const table of ALL_TABLES) {
    expect(help).toContain(table.title);
    for (const binding of table.bindings) {
      expect(help).toContain(keysLabel(binding));
      expect(help).toContain(normalize(binding.help));
    }
  }
});

test("no key is bound twice within the tables of one mode", () => {
  for (const [mode, tables] of Object.entries(TABLES_BY_MODE)) {
    const keys = tables.flatMap((table) => table.bindings.flatMap((binding) => binding.keys));
    const twice = keys.filter((key, i) => keys.indexOf(key) !== i);
    expect({ mode, twice }).toEqual({ mode, twice: [] });
  }
});

test("key labels: Shift letters are capitals, named keys are words", () => {
  expect(keyLabel("S-y")).toBe("Y");
  expect(keyLabel("escape")).toBe("Esc");
  expect(keyLabel("enter")).toBe("Enter");
});

test("the footer shows why an action is disabled now", () => {
  const model = selectSession(connected(), "idle-one@local");
  const footer = plainText(footerView(model, 200, 2).join(" "));
  expect(footer).toContain("i interrupt: claude is idle");
  expect(footer).toContain("R reconnect: claude still runs");
  expect(footer).toContain("? help");
  const offline = plainText(footerView(setConnection(model, { state: "reconnecting", attempt: 2, error: null }), 200, 2).join(" "));
  expect(offline).toContain("c create: hub not connected");
});

test("the footer keeps help when the width is short", () => {
  const lines = footerView(connected(), 40, 1).map(plainText);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.length).toBeLessThanOrEqual(40);
  expect(lines[0]).toEndWith("? help");
});

test("a key resolves to its action, to a reason when disabled, or to nothing", () => {
  const model = selectSession(connected(), "idle-one@local");
  expect(resolveKey(model, "enter")).toEqual({ action: "open-detail" });
  expect(resolveKey(model, "i")).toEqual({ action: "interrupt", disabled: "claude is idle" });
  expect(resolveKey(model, "y")).toBeNull();
  expect(resolveKey(model, "S-r")).toEqual({ action: "reconnect", disabled: "claude still runs" });
});

test("y and n answer only in the view of a session with a pending request", () => {
  let model = applyPending(connected(), [
    { session: "busy", requestId: "r1", toolName: "Bash", input: { command: "ls" }, toolUseId: null, description: null, suggestions: [], blockedPath: null, receivedAt: "2026-11-21T11:00:00.000Z" },
  ]);
  expect(resolveKey(model, "y")).toBeNull();
  expect(resolveKey(model, "space")).toEqual({ action: "jump-to-pending" });
  model = applyPureAction(model, "jump-to-pending")!;
  expect(model.mode).toBe("detail");
  expect(resolveKey(model, "y")).toEqual({ action: "approve" });
  expect(resolveKey(model, "S-n")).toEqual({ action: "deny-always" });
  // Its own request is on screen already: Space has nowhere else to go.
  expect(resolveKey(model, "space")).toBeNull();
});

test("in text modes letters are typed, not actions; Ctrl-C still quits", () => {
  const model = applyPureAction(connected(), "create", { createDefaults: { repo: "/home/ada/src/api" } })!;
  expect(model.mode).toBe("create");
  expect(acceptsText(model)).toBe(true);
  expect(resolveKey(model, "q")).toBeNull();
  expect(resolveKey(model, "k")).toBeNull();
  expect(resolveKey(model, "C-c")).toEqual({ action: "quit" });
  expect(model.create!.values.repo).toBe("/home/ada/src/api");
});

test("pure actions change the model; the ones that need the hub are left to the screen", () => {
  const model = connected();
  expect(applyPureAction(model, "help")!.mode).toBe("help");
  expect(applyPureAction(setMode(model, "help"), "back")!.mode).toBe("list");
  expect(applyPureAction(model, "approve")).toBeNull();
  expect(applyPureAction(model, "refresh")).toBeNull();
  const kill = applyPureAction(selectSession(model, "idle-one@local"), "kill")!;
  expect(applyPureAction(kill, "toggle-force")!.kill!.force).toBe(true);
  expect(applyPureAction(kill, "submit")).toBeNull();
});

test("the keys that apply follow the mode", () => {
  const actions = (model: TuiModel) => keysFor(model).map((applicable) => applicable.binding.action);
  expect(actions(connected())).toContain("create");
  expect(actions(setMode(connected(), "help"))).not.toContain("create");
  expect(actions(setMode(connected(), "filter"))).toEqual(["submit", "back", "delete-char", "quit"]);
});

test("in a session's view, Space goes to the oldest request of another session, as its hint says", () => {
  const request = (session: string, requestId: string, at: string) => ({
    session, requestId, toolName: "Bash", input: { command: "ls" }, toolUseId: null, description: null, suggestions: [], blockedPath: null, receivedAt: at,
  });
  let model = applyPending(connected(), [request("busy", "r1", "2026-11-21T11:00:00.000Z"), request("idle-one", "r2", "2026-11-21T11:01:00.000Z")]);
  model = applyPureAction(model, "jump-to-pending")!;
  expect(model.selected).toBe("busy@local");
  expect(resolveKey(model, "space")).toEqual({ action: "jump-to-pending" });
  model = applyPureAction(model, "jump-to-pending")!;
  expect([model.mode, model.selected]).toEqual(["detail", "idle-one@local"]);
  model = applyPureAction(model, "jump-to-pending")!;
  expect(model.selected).toBe("busy@local");
});
