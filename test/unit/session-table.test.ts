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

test("foreign text in the table is shown, never obeyed, and columns line up by cells", () => {
  const table = renderSessions(
    [
      liveSession("wide", { model: "模型-🎉", lastMessage: "日本語 ✅ \x1b]0;pwned\x07\x1b[2J\x9b31m\u202Eevil\nnext line" }),
      liveSession("dead", { status: "dead", statusReason: "tmux said \x1b[31mno\x1b[0m", lastMessage: "x".repeat(100) }),
    ],
    now,
  );
  expect(table).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  expect(table).toContain("日本語 ✅ ␛]0;pwned␇␛[2J\\x9b31m\\u202eevil next line");
  expect(table).toContain("dead (tmux said ␛[31mno␛[0m)");
  const [header, ...rows] = table.split("\n");
  // Every column starts at the same cell in every row, wide characters or not.
  const columnAt = (line: string, text: string) => Bun.stringWidth(line.slice(0, line.indexOf(text)));
  for (const row of rows) expect(columnAt(row, "2h  ")).toBe(columnAt(header!, "AGE"));
  expect(Bun.stringWidth(rows[1]!.slice(rows[1]!.indexOf("xxx")))).toBe(60);
});

test("a last known state (no hub running) reads as a guess, and a dead session never does", () => {
  const table = renderSessions([liveSession("remembered", { status: "idle", stale: true }), liveSession("gone", { status: "dead", statusReason: "tmux session csm-gone is gone", stale: false })], now);
  expect(table).toContain("idle?");
  expect(table).not.toContain("dead?");
});
