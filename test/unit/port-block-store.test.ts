import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { MIGRATIONS, openDatabase } from "../../src/store/db.ts";
import { SessionStore, type SessionRecord } from "../../src/store/sessions.ts";
import { firstFreeBlock } from "../../src/core/sessions/port-blocks.ts";

const record = (name: string): SessionRecord => ({
  host: "local", name, repo: "/r", worktree: "/w", branch: null, baseRef: null, baseCommit: null, createdBranch: false, createdWorktree: false,
  createdAt: "2026-11-21T00:00:00Z", options: {}, claudeSessionId: null, favourite: false, exitStatus: null, exitedAt: null, agentSecret: "s", transport: "bridge",
});
const range = { from: 20000, to: 20019 };

test("a database from before port blocks gains the column; its sessions keep working without a block", () => {
  const dir = mkdtempSync(join(tmpdir(), "csm-ports-"));
  const path = join(dir, "csm.sqlite");
  try {
    // A database at schema 2, as an older csm left it, with a session in it.
    const old = new Database(path, { create: true });
    old.exec("PRAGMA journal_mode = WAL");
    for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
    old.exec("PRAGMA user_version = 2");
    old.query("INSERT INTO sessions (host, name, worktree, created_at) VALUES ('local', 'old', '/w', '2026-01-01T00:00:00Z')").run();
    old.close();

    const db = openDatabase(path);
    const sessions = new SessionStore(db);
    expect(sessions.get("local", "old")!.portBase).toBeNull();
    expect(sessions.insertWithPortBlock(record("a"), (used) => firstFreeBlock(range, used))).toBe(20000);
    expect(sessions.insertWithPortBlock(record("b"), (used) => firstFreeBlock(range, used))).toBe(20010);
    expect(sessions.insertWithPortBlock(record("c"), (used) => firstFreeBlock(range, used))).toBeNull();
    expect(sessions.get("local", "c")).toBeNull();
    // Freed with the record.
    sessions.remove("local", "a");
    expect(sessions.insertWithPortBlock(record("c"), (used) => firstFreeBlock(range, used))).toBe(20000);
    // The index refuses a shared block even from a caller that did not look.
    expect(() => sessions.insert({ ...record("d"), portBase: 20010 })).toThrow(/UNIQUE/);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
