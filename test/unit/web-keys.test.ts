import { expect, test } from "bun:test";
import { actionFor, keyName, WEB_KEYS } from "../../src/web/app/keys.ts";
import { approvalKeys, detailKeys, listKeys, pendingKeys, globalKeys } from "../../src/tui/keys/tables.ts";

// The page's shortcuts are the terminal dashboard's: every web binding has the TUI's keys
// for the same action in the same view (the page leaves some actions out; it adds none).

const tuiKeys = (tables: { bindings: { keys: string[]; action: string }[] }[], action: string) =>
  tables.flatMap((table) => table.bindings.filter((b) => b.action === action).flatMap((b) => b.keys));

test.each([
  ["list", [pendingKeys, listKeys, globalKeys]],
  ["detail", [approvalKeys, pendingKeys, detailKeys, globalKeys]],
] as const)("the %s view's keys are the TUI's", (mode, tables) => {
  for (const binding of WEB_KEYS[mode]) {
    const theirs = tuiKeys([...tables], binding.action);
    expect({ action: binding.action, keys: theirs.filter((key) => binding.keys.includes(key)) }).toEqual({ action: binding.action, keys: binding.keys });
  }
});

test("browser key presses map to blessed names", () => {
  const press = (key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean; altKey?: boolean } = {}) =>
    keyName({ key, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });
  expect(press("ArrowDown")).toBe("down");
  expect(press("Y", { shiftKey: true })).toBe("S-y");
  expect(press("n", { ctrlKey: true })).toBe("C-n");
  expect(press(" ")).toBe("space");
  expect(press("/")).toBe("/");
  expect(press("k", { altKey: true })).toBeNull();
  expect(actionFor("list", "k")).toBe("kill");
  expect(actionFor("detail", "S-y")).toBe("approve-always");
  expect(actionFor("list", "y")).toBeNull();
});
