import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/store/db.ts";
import { EventStore } from "../../src/store/events.ts";
import { SessionStore, type SessionRecord } from "../../src/store/sessions.ts";

function withStore(run: (events: EventStore, sessions: SessionStore) => void) {
  const dir = mkdtempSync(join(tmpdir(), "csm-events-"));
  const db = openDatabase(join(dir, "csm.sqlite"));
  try {
    run(new EventStore(db), new SessionStore(db));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const record = (name: string): SessionRecord => ({
  host: "local", name, repo: "/r", worktree: "/w", branch: null, baseRef: null, baseCommit: null, createdBranch: false, createdWorktree: false,
  createdAt: "2026-11-21T00:00:00Z", options: {}, claudeSessionId: null, favourite: false, exitStatus: null, exitedAt: null, agentSecret: "s", transport: "bridge",
});
const at = "2026-11-21T00:00:00.000Z";

test("seq grows and is never reused across sessions; a replayed uuid is stored once", () =>
  withStore((events, sessions) => {
    sessions.insert(record("a"));
    sessions.insert(record("b"));
    const first = events.append("local", "a", [{ kind: "claude", at, data: { n: 1 }, uuid: "u1" }, { kind: "link", at, data: { n: 2 } }]);
    expect(first.map((e) => e.seq)).toEqual([1, 2]);
    const other = events.append("local", "b", [{ kind: "claude", at, data: {}, uuid: "u1" }]);
    expect(other).toHaveLength(1);
    const replay = events.append("local", "a", [{ kind: "claude", at, data: { n: 1 }, uuid: "u1" }, { kind: "claude", at, data: { n: 3 }, uuid: "u3" }]);
    expect(replay.map((e) => e.uuid)).toEqual(["u3"]);
    expect(replay[0]!.seq).toBeGreaterThan(other[0]!.seq);
    expect(events.after("local", "a", 1).map((e) => e.seq)).toEqual([2, replay[0]!.seq]);
    expect(events.tail("local", "a", 2).map((e) => e.seq)).toEqual([2, replay[0]!.seq]);
    // Killed and made again: the new session's events never reuse a number.
    sessions.remove("local", "b");
    sessions.insert(record("b"));
    expect(events.append("local", "b", [{ kind: "link", at, data: {} }])[0]!.seq).toBeGreaterThan(replay[0]!.seq);
  }));

test("the bridge frame number advances with the events, never backwards", () =>
  withStore((events, sessions) => {
    sessions.insert(record("a"));
    events.append("local", "a", [{ kind: "link", at, data: {} }], 7);
    expect(events.linkSeq("local", "a")).toBe(7);
    events.append("local", "a", [], 5);
    expect(events.linkSeq("local", "a")).toBe(7);
  }));

test("prune policy: a session dead for longer than the limit keeps its newest events; live ones keep all", () =>
  withStore((events, sessions) => {
    sessions.insert(record("dead"));
    sessions.insert(record("live"));
    const many = Array.from({ length: 10 }, (_, i) => ({ kind: "link" as const, at, data: { i } }));
    events.append("local", "dead", many);
    events.append("local", "live", many);
    sessions.saveLiveSnapshot("local", "dead", { status: "dead" }, 10, "2026-11-01T00:00:00.000Z");
    sessions.saveLiveSnapshot("local", "live", { status: "idle" }, 20, null);
    const removed = events.pruneDead(new Date("2026-11-21T00:00:00Z"), 7 * 24 * 3600 * 1000, 3);
    expect(removed).toBe(7);
    expect(events.after("local", "dead", 0).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(events.after("local", "live", 0).map((e) => e.seq)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(events.after("local", "live", 0)).toHaveLength(10);
  }));

test("killing a session removes its events with it", () =>
  withStore((events, sessions) => {
    sessions.insert(record("a"));
    events.append("local", "a", [{ kind: "link", at, data: {} }]);
    sessions.remove("local", "a");
    expect(events.after("local", "a", 0)).toEqual([]);
  }));
