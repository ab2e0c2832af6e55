import { expect, test } from "bun:test";
import type { FileStamp } from "../../src/host/runner.ts";
import { parseWorkingTreeStatus, planWorkingTree as planWith, RACY_MS, UNTRACKED, type CountedTree } from "../../src/core/sessions/working-tree-plan.ts";

// When the uncommitted half of a session's diff, as counted last time, still holds.

const COUNTED_AT = 1_000_000;
const old = (key: string, kind: FileStamp["kind"] = "file"): FileStamp => ({ key, kind, changedMs: COUNTED_AT - RACY_MS - 1, modifiedMs: COUNTED_AT - RACY_MS - 1 });
const settings: Record<string, string | null> = { "/repo/.git/config": "c1", "/home/u/.gitconfig": null, "GIT_* variables": "[]" };
const last: CountedTree = {
  head: "h1",
  countedAt: COUNTED_AT,
  status: { "a.txt": " M", "b.txt": "M ", "moved.txt": "A ", "gone.txt": " D" },
  stamps: { "a.txt": "a1", "b.txt": "b1", "moved.txt": "m1" },
  settings,
};
/** The plan with the settings as they were, unless a test says otherwise. */
const planWorkingTree = (counted: CountedTree | null, head: string, status: Record<string, string>, stamps: Record<string, FileStamp | null>, now = settings) =>
  planWith(counted, head, status, stamps, now);
const sameStatus = { ...last.status };
const sameStamps = { "a.txt": old("a1"), "b.txt": old("b1"), "moved.txt": old("m1"), "gone.txt": null };

test("git status -z output is read as path → status code, names with spaces and arrows kept whole", () => {
  expect(parseWorkingTreeStatus(" M a.txt\0M  b c.txt\0?? new/file\0 D x -> y\0?? sub/\0")).toEqual({
    tracked: { "a.txt": " M", "b c.txt": "M ", "x -> y": " D" },
    untracked: ["new/file", "sub/"],
  });
  expect(parseWorkingTreeStatus("")).toEqual({ tracked: {}, untracked: [] });
});

test("nothing changed: the last count holds, deleted files included", () => {
  expect(planWorkingTree(last, "h1", sameStatus, sameStamps)).toEqual({ kind: "reuse" });
});

test("no last count, or another HEAD: everything is counted", () => {
  expect(planWorkingTree(null, "h1", sameStatus, sameStamps)).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h2", sameStatus, sameStamps)).toEqual({ kind: "full" });
});

test("a modified file written again, newly modified or back to HEAD: only those are counted again", () => {
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "a.txt": old("a2") })).toEqual({ kind: "recount", paths: ["a.txt"] });
  expect(planWorkingTree(last, "h1", { ...sameStatus, "c.txt": " M" }, { ...sameStamps, "c.txt": old("c1") })).toEqual({ kind: "recount", paths: ["c.txt"] });
  const { "b.txt": _reverted, ...withoutB } = sameStatus;
  expect(planWorkingTree(last, "h1", withoutB, sameStamps)).toEqual({ kind: "recount", paths: ["b.txt"] });
  // Staged since: the code changed, the file did not.
  expect(planWorkingTree(last, "h1", { ...sameStatus, "a.txt": "M " }, sameStamps)).toEqual({ kind: "recount", paths: ["a.txt"] });
});

test("a file stamped within the racy margin of the last count is never trusted", () => {
  const racy: FileStamp = { key: "a1", kind: "file", changedMs: COUNTED_AT - RACY_MS + 1, modifiedMs: COUNTED_AT - RACY_MS + 1 };
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "a.txt": racy })).toEqual({ kind: "recount", paths: ["a.txt"] });
  const later: FileStamp = { key: "a1", kind: "file", changedMs: COUNTED_AT + 5, modifiedMs: COUNTED_AT + 5 };
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "a.txt": later })).toEqual({ kind: "recount", paths: ["a.txt"] });
});

test("an added or deleted file that changed may be half of a rename: everything is counted", () => {
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "moved.txt": old("m2") })).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", { ...sameStatus, "new.txt": "A " }, { ...sameStamps, "new.txt": old("n1") })).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", { ...sameStatus, "a.txt": " D" }, { ...sameStamps, "a.txt": null })).toEqual({ kind: "full" });
  // Deleted, then written again: modified against HEAD once more, but it was a deletion.
  expect(planWorkingTree(last, "h1", { ...sameStatus, "gone.txt": " M" }, { ...sameStamps, "gone.txt": old("g1") })).toEqual({ kind: "full" });
  // A type change, a conflict.
  expect(planWorkingTree(last, "h1", { ...sameStatus, "a.txt": " T" }, sameStamps)).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", { ...sameStatus, "c.txt": "UU" }, { ...sameStamps, "c.txt": old("c1") })).toEqual({ kind: "full" });
});

test("what git reads besides the files (its config, attributes files, GIT_* variables) changed: everything is counted", () => {
  expect(planWorkingTree(last, "h1", sameStatus, sameStamps, { ...settings, "/repo/.git/config": "c2" })).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", sameStatus, sameStamps, { ...settings, "/home/u/.gitconfig": "g1" })).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", sameStatus, sameStamps, { ...settings, "GIT_* variables": '[["GIT_CONFIG_COUNT","1"]]' })).toEqual({ kind: "full" });
  // A .gitattributes in the worktree, tracked and edited, or untracked and new.
  const withAttributes: CountedTree = { ...last, status: { ...last.status, "src/.gitattributes": " M" }, stamps: { ...last.stamps, "src/.gitattributes": "ga1" } };
  const attributesStamps = { ...sameStamps, "src/.gitattributes": old("ga1") };
  expect(planWorkingTree(withAttributes, "h1", withAttributes.status, attributesStamps)).toEqual({ kind: "reuse" });
  expect(planWorkingTree(withAttributes, "h1", withAttributes.status, { ...attributesStamps, "src/.gitattributes": old("ga2") })).toEqual({ kind: "full" });
  expect(planWorkingTree(last, "h1", { ...sameStatus, ".gitattributes": UNTRACKED }, { ...sameStamps, ".gitattributes": old("u1") })).toEqual({ kind: "full" });
});

test("a submodule is always asked again; a modified file lstat cannot see means a whole count", () => {
  const withSubmodule: CountedTree = { ...last, status: { ...last.status, lib: " M" }, stamps: { ...last.stamps, lib: "d1" } };
  expect(planWorkingTree(withSubmodule, "h1", withSubmodule.status, { ...sameStamps, lib: old("d1", "directory") })).toEqual({ kind: "recount", paths: ["lib"] });
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "a.txt": null })).toEqual({ kind: "full" });
});

test("paths named like object properties are paths", () => {
  expect(parseWorkingTreeStatus(" M __proto__\0 M constructor\0").tracked).toEqual(JSON.parse('{"__proto__": " M", "constructor": " M"}'));
  const odd: CountedTree = { ...last, status: JSON.parse('{"__proto__": " M", "constructor": " M"}'), stamps: JSON.parse('{"__proto__": "p1", "constructor": "c1"}') };
  const same = JSON.parse('{"__proto__": " M", "constructor": " M"}') as Record<string, string>;
  const stampsNow: Record<string, FileStamp | null> = Object.fromEntries([["__proto__", old("p1")], ["constructor", old("c1")]]);
  expect(planWorkingTree(odd, "h1", same, stampsNow)).toEqual({ kind: "reuse" });
  expect(planWorkingTree(odd, "h1", same, { ...stampsNow, ...Object.fromEntries([["__proto__", old("p2")]]) })).toEqual({ kind: "recount", paths: ["__proto__"] });
});
