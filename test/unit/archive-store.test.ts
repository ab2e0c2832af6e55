import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classifyEnd, KILLED_BY_USER, lastToolAndError } from "../../src/core/sessions/archive-end.ts";
import { screenText } from "../../src/core/sessions/archive-show.ts";
import { mergeSessions } from "../../src/core/sessions/session-view.ts";
import { applyLinkEvent, initialLiveState } from "../../src/core/live/live-state.ts";
import { ArchiveStore, type NewArchiveEntry } from "../../src/store/archive.ts";
import { openDatabase } from "../../src/store/db.ts";
import type { StoredEvent } from "../../src/store/events.ts";
import type { SessionRecord } from "../../src/store/sessions.ts";

function withArchive(run: (archive: ArchiveStore, dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "csm-archive-"));
  const db = openDatabase(join(dir, "csm.sqlite"));
  try {
    run(new ArchiveStore(db), dir);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = (name: string, startedAt: string, endedAt: string, extra: Partial<NewArchiveEntry> = {}): NewArchiveEntry => ({
  host: "local", name, repo: "/r", branch: "csm/x", worktree: "/w", claudeSessionId: "c", transport: "bridge", startedAt, endedAt,
  endKind: "signal", endReason: "claude was killed by SIGKILL", exitStatus: null, signal: "SIGKILL", turns: 2, costUsd: 0.01,
  lastTool: { name: "Bash", input: "sleep 30", at: endedAt, answered: false }, lastMessage: "hi", lastError: null, paneLog: null, ...extra,
});

test("one entry per life of a name: the same life ending again keeps its id, a name made again gets a new one", () =>
  withArchive((archive) => {
    const first = archive.recordEnd(entry("a", "2026-11-01T00:00:00.000Z", "2026-11-01T01:00:00.000Z"));
    const again = archive.recordEnd(entry("a", "2026-11-01T00:00:00.000Z", "2026-11-01T02:00:00.000Z", { endKind: "exit", endReason: "claude exited with status 1", exitStatus: 1, signal: null }));
    expect(again.id).toBe(first.id);
    expect(again.endReason).toBe("claude exited with status 1");
    const second = archive.recordEnd(entry("a", "2026-11-02T00:00:00.000Z", "2026-11-02T01:00:00.000Z"));
    expect(second.id).not.toBe(first.id);
    expect(archive.byName("local", "a").map((e) => e.id)).toEqual([second.id, first.id]);
    expect(archive.all("local")).toHaveLength(2);
    expect(archive.get("local", first.id)!.lastTool).toEqual({ name: "Bash", input: "sleep 30", at: "2026-11-01T02:00:00.000Z", answered: false });
    archive.markRemoved(second.id, "2026-11-03T00:00:00.000Z");
    expect(archive.forLife("local", "a", "2026-11-02T00:00:00.000Z")!.removedAt).toBe("2026-11-03T00:00:00.000Z");
  }));

test("retention removes entries that ended longer ago than the setting, by a given clock", () =>
  withArchive((archive) => {
    archive.recordEnd(entry("old", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"));
    archive.recordEnd(entry("edge", "2026-01-02T00:00:00.000Z", "2026-03-01T00:00:00.000Z"));
    archive.recordEnd(entry("new", "2026-05-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z"));
    const now = new Date("2026-05-30T00:00:00.000Z");
    // 90 days before now is 2026-03-01T00:00:00Z: an entry that ended exactly then stays.
    expect(archive.prune(now, 90).map((e) => e.name)).toEqual(["old"]);
    expect(archive.all("local").map((e) => e.name)).toEqual(["new", "edge"]);
    expect(archive.prune(new Date("2026-05-30T00:00:00.001Z"), 90).map((e) => e.name)).toEqual(["edge"]);
    expect(archive.prune(now, 1).map((e) => e.name)).toEqual(["new"]);
    expect(archive.all("local")).toEqual([]);
  }));

const record = (name: string, exitStatus: number | null = null): SessionRecord => ({
  host: "local", name, repo: "/r", worktree: "/w", branch: null, baseRef: null, baseCommit: null, createdBranch: false, createdWorktree: false,
  createdAt: "2026-11-21T00:00:00Z", options: {}, claudeSessionId: null, favourite: false, exitStatus, exitedAt: null, agentSecret: "s", transport: "bridge",
});

test("end reasons are classified from the words the live state and tmux use for them", () => {
  const at = "2026-11-21T00:00:00.000Z";
  const signalled = applyLinkEvent(initialLiveState(), { event: "claude_exited", code: null, signal: "SIGKILL" }, at);
  expect(classifyEnd(signalled.statusReason!)).toEqual({ kind: "signal", reason: "claude was killed by SIGKILL", exitStatus: null, signal: "SIGKILL" });
  const exited = applyLinkEvent(initialLiveState(), { event: "claude_exited", code: 3 }, at);
  expect(classifyEnd(exited.statusReason!)).toMatchObject({ kind: "exit", exitStatus: 3 });
  const [gone] = mergeSessions("local", [record("g")], []);
  expect(classifyEnd(gone!.statusReason!)).toMatchObject({ kind: "tmux-gone", reason: "tmux session csm-g is gone" });
  const [closed] = mergeSessions("local", [record("w")], [{ session: "csm-w", window: "shell" } as never]);
  expect(classifyEnd(closed!.statusReason!)).toMatchObject({ kind: "window-closed" });
  const [recorded] = mergeSessions("local", [record("r", 0)], [{ session: "csm-r", window: "agent" } as never]);
  expect(classifyEnd(recorded!.statusReason!)).toMatchObject({ kind: "exit", exitStatus: 0 });
  expect(classifyEnd(KILLED_BY_USER)).toMatchObject({ kind: "killed" });
});

test("the last tool use and the last error come from the newest events", () => {
  let seq = 0;
  const ev = (kind: StoredEvent["kind"], data: unknown): StoredEvent => ({ session: "s", seq: ++seq, at: `2026-11-21T00:00:0${seq}.000Z`, kind, uuid: null, data });
  const toolUse = (id: string, command: string) => ev("claude", { type: "assistant", message: { content: [{ type: "text", text: "running" }, { type: "tool_use", id, name: "Bash", input: { command } }] } });
  const events = [
    toolUse("t1", "ls"),
    ev("claude", { type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t1", is_error: true, content: "ls: nope" }] } }),
    toolUse("t2", "echo waiting; sleep 30"),
  ];
  expect(lastToolAndError(events)).toEqual({ lastTool: { name: "Bash", input: "echo waiting; sleep 30", at: events[2]!.at, answered: false }, lastError: "Bash: ls: nope" });
  events.push(ev("claude", { type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t2", content: "waiting" }] } }));
  events.push(ev("claude", { type: "result", is_error: true, subtype: "error_during_execution", result: "" }));
  expect(lastToolAndError(events)).toMatchObject({ lastTool: { answered: true }, lastError: "the turn ended in an error (error_during_execution)" });
  expect(lastToolAndError([])).toEqual({ lastTool: null, lastError: null });
});

test("pane text: escape sequences are taken out, a redrawn line becomes a line", () => {
  expect(screenText("\x1b[1;32mgreen\x1b[0m\r\n\x1b]0;title\x07next\rover\x1b(B")).toBe("green\nnext\nover");
});
