import { expect, test } from "bun:test";
import { renderSessions } from "../../src/cli/session-table.ts";
import { liveSession } from "../helpers/live-session.ts";

const now = new Date("2026-11-21T12:00:00.000Z");

test("a session whose claude runs tools unasked is marked, and the mark explained once", () => {
  const table = renderSessions(
    [
      liveSession("careful"),
      liveSession("reckless", { status: "working", permissionMode: "acceptEdits", guarded: false }),
      liveSession("gone", { status: "dead", statusReason: null, permissionMode: "bypassPermissions", guarded: false }),
    ],
    now,
  );
  const lines = table.split("\n");
  expect(lines.find((line) => line.includes("careful"))).not.toContain("!unguarded");
  expect(lines.find((line) => line.includes("reckless"))).toContain("working !unguarded");
  // A dead claude runs nothing: no mark.
  expect(lines.find((line) => line.includes("gone"))).not.toContain("!unguarded");
  expect(lines.at(-1)).toStartWith("!unguarded: ");
  expect(lines.at(-1)!.length).toBeLessThanOrEqual(80);
});

test("with every session guarded the table has no note", () => {
  expect(renderSessions([liveSession("careful")], now)).not.toContain("unguarded");
});
