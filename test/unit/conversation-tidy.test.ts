import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownPidDomain, processStartOf } from "../../src/adapters/claude-files.ts";
import { huskRule, type HuskSubject } from "../../src/core/conversations/husk.ts";
import { LocalConversations } from "../../src/core/conversations/local-conversations.ts";
import { DAY_MS, moveCandidates, planGc, planPrune } from "../../src/core/conversations/tidy.ts";
import { ConversationIndex } from "../../src/store/conversation-index.ts";
import type { SessionRecord } from "../../src/store/sessions.ts";

// The husk rules as a table, prune's boundaries, and moving to the trash when the disk
// changes under the plan: a file that grew, two movers at once.

const facts = (over: Partial<HuskSubject["facts"]> = {}) => ({ turns: 0, replies: 0, localCommands: 0, compactions: 0, customTitle: undefined, ...over });
const subject = (over: Partial<HuskSubject> = {}, factsOver: Partial<HuskSubject["facts"]> = {}): HuskSubject => ({ facts: facts(factsOver), sizeBytes: 500, state: "transcript", unindexedBytes: 0, ...over });

describe("huskRule", () => {
  test.each([
    ["an empty file", subject({ sizeBytes: 0 }), "empty file"],
    ["slash commands only", subject({}, { localCommands: 2 }), "only local commands"],
    ["a compaction with nothing around it", subject({}, { compactions: 1, localCommands: 1 }), "only an empty compaction"],
    ["snapshots and titles only", subject(), "only metadata"],
    ["a prompt", subject({}, { turns: 1 }), null],
    ["a reply without a prompt (a resumed -p run)", subject({}, { replies: 1 }), null],
    ["named by a person", subject({}, { customTitle: "keep me" }), null],
    ["held by a live claude", subject({ state: "live" }), null],
    ["run by a csm session", subject({ state: "csm" }), null],
    ["a half-written last line (something is arriving)", subject({ unindexedBytes: 40 }), null],
  ])("%s", (_name, input, expected) => {
    expect(huskRule(input)).toBe(expected as ReturnType<typeof huskRule>);
  });
});

let root: string;
let config: string;
let trash: string;
let sessions: SessionRecord[];
let local: LocalConversations;

const line = (record: unknown) => `${JSON.stringify(record)}\n`;
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const NOW = Date.parse("2026-11-30T12:00:00.000Z");
const prompt = (text: string, msAgo: number) => line({ type: "user", message: { role: "user", content: text }, timestamp: at(msAgo), cwd: "/src/app" });
const caveat = (msAgo: number) => line({ type: "user", message: { role: "user", content: "<command-name>/cost</command-name>" }, timestamp: at(msAgo) });
const path = (id: string) => join(config, "projects", "-src-app", `${id}.jsonl`);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "csm-tidy-"));
  config = join(root, "claude");
  trash = join(root, "trash");
  mkdirSync(join(config, "projects", "-src-app"), { recursive: true });
  sessions = [];
  local = new LocalConversations(ConversationIndex.open(join(root, "index.sqlite")), config, "local", () => sessions);
});
afterEach(() => {
  local.close();
  rmSync(root, { recursive: true, force: true });
});

describe("planPrune", () => {
  test("idle exactly N days is pruned, a second less is not; never named, favourite, live or csm-owned", () => {
    writeFileSync(path("exact"), prompt("old", 30 * DAY_MS));
    writeFileSync(path("younger"), prompt("recent", 30 * DAY_MS - 1000));
    writeFileSync(path("named"), prompt("old", 90 * DAY_MS) + line({ type: "custom-title", customTitle: "mine", sessionId: "named" }));
    writeFileSync(path("favourite"), prompt("old", 90 * DAY_MS));
    writeFileSync(path("owned"), prompt("old", 90 * DAY_MS));
    writeFileSync(path("live"), prompt("old", 90 * DAY_MS));
    // A claude that is running holds "live": this very process, with its real start time.
    mkdirSync(join(config, "sessions"));
    writeFileSync(join(config, "sessions", `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: "live", procStart: processStartOf(process.pid) }));
    // A file left by a claude that is gone (a pid no process has) holds nothing.
    writeFileSync(path("left"), prompt("old", 90 * DAY_MS));
    writeFileSync(join(config, "sessions", "999999999.json"), JSON.stringify({ pid: 999999999, sessionId: "left", procStart: "1" }));
    writeFileSync(path("left-here"), prompt("old", 90 * DAY_MS));
    writeFileSync(join(config, "sessions", "999999997.json"), JSON.stringify({ pid: 999999997, sessionId: "left-here", procStart: "1", pidDomain: ownPidDomain() }));
    // A claude in a container sharing this config dir: its pid names no process here, and
    // that proves nothing. It holds the conversation.
    writeFileSync(path("contained"), prompt("old", 90 * DAY_MS));
    writeFileSync(join(config, "sessions", "999999998.json"), JSON.stringify({ pid: 999999998, sessionId: "contained", procStart: "1", pidDomain: "linux:another-machine:pid:[4026532000]" }));
    sessions = [{ name: "s", host: "local", claudeSessionId: "owned", favourite: false } as SessionRecord];
    local.refresh();
    const plan = planPrune(local, 30, new Set(["favourite"]), NOW);
    expect(plan.map((c) => c.id).sort()).toEqual(["exact", "left", "left-here"]);
    expect(plan.find((c) => c.id === "exact")!.reason).toBe("idle 30 days (unnamed)");
  });
});

describe("moving to the trash while the disk changes", () => {
  test("a husk that grew after the plan (a claude woke up) is kept and reported", () => {
    writeFileSync(path("husk"), caveat(1000));
    writeFileSync(path("other"), caveat(1000));
    local.refresh();
    const plan = planGc(local);
    expect(plan.map((c) => c.id).sort()).toEqual(["husk", "other"]);
    appendFileSync(path("husk"), prompt("actually, one more thing", 0));
    const outcome = moveCandidates(local, trash, plan);
    expect(outcome.moved.map((m) => m.id)).toEqual(["other"]);
    expect(outcome.skipped).toEqual([{ id: "husk", path: path("husk"), reason: "changed since the scan (a claude may be writing it)" }]);
    expect(existsSync(path("husk"))).toBe(true);
  });

  test("two movers with the same plan: each file is moved once, the other is told it is gone", () => {
    for (const id of ["a", "b", "c"]) writeFileSync(path(id), caveat(1000));
    mkdirSync(join(config, "projects", "-src-app", "a", "subagents"), { recursive: true });
    writeFileSync(join(config, "projects", "-src-app", "a", "subagents", "agent-1.jsonl"), caveat(1000));
    local.refresh();
    const plan = planGc(local);
    const first = moveCandidates(local, trash, plan);
    const second = moveCandidates(local, trash, plan);
    expect(first.moved.map((m) => m.id).sort()).toEqual(["a", "b", "c"]);
    expect(second.moved).toEqual([]);
    expect(second.skipped.map((s) => s.reason)).toEqual(Array(3).fill("already gone (moved by another csm?)"));
    // Three entries, the sub-agent folder went along with its conversation.
    expect(readdirSync(trash)).toHaveLength(3);
    const entryA = first.moved.find((m) => m.id === "a")!;
    expect(entryA.folder).toBe("projects/-src-app/a");
    expect(existsSync(join(trash, entryA.entry, "files", "projects", "-src-app", "a", "subagents", "agent-1.jsonl"))).toBe(true);
    expect(existsSync(join(config, "projects", "-src-app", "a"))).toBe(false);
  });
});

// A trash on another filesystem than the transcripts (/dev/shm is tmpfs where it exists): a
// move there is a copy, which keeps mtimes only to the millisecond.
const otherFilesystem = (() => {
  try {
    return existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(tmpdir()).dev;
  } catch {
    return false;
  }
})();

test.skipIf(!otherFilesystem)("a trash on another filesystem takes a conversation whole the first time", () => {
  const shmTrash = mkdtempSync("/dev/shm/csm-trash-");
  try {
    writeFileSync(path("husk"), caveat(1000));
    mkdirSync(join(config, "projects", "-src-app", "husk", "subagents"), { recursive: true });
    writeFileSync(join(config, "projects", "-src-app", "husk", "subagents", "agent-1.jsonl"), caveat(1000));
    local.refresh();
    const outcome = moveCandidates(local, shmTrash, planGc(local));
    expect(outcome.skipped).toEqual([]);
    expect(outcome.moved.map((m) => m.id)).toEqual(["husk"]);
    expect(existsSync(path("husk"))).toBe(false);
    expect(readdirSync(shmTrash)).toHaveLength(1);
  } finally {
    rmSync(shmTrash, { recursive: true, force: true });
  }
});
