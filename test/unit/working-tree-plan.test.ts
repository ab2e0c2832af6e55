import { expect, test } from "bun:test";
import { parseTrackedStatus, planWorkingTree, RACY_MS, type CountedTree } from "../../src/core/sessions/working-tree-plan.ts";

// When the uncommitted half of a session's diff, as counted last time, still holds.

const COUNTED_AT = 1_000_000;
const old = (key: string) => ({ key, changedMs: COUNTED_AT - RACY_MS - 1 });
const last: CountedTree = {
  head: "h1",
  countedAt: COUNTED_AT,
  status: { "a.txt": " M", "b.txt": "M ", "moved.txt": "A ", "gone.txt": " D" },
  stamps: { "a.txt": "a1", "b.txt": "b1", "moved.txt": "m1" },
};
const sameStatus = { ...last.status };
const sameStamps = { "a.txt": old("a1"), "b.txt": old("b1"), "moved.txt": old("m1"), "gone.txt": null };

test("git status -z output is read as path → status code, names with spaces and arrows kept whole", () => {
  expect(parseTrackedStatus(" M a.txt\0M  b c.txt\0 D x -> y\0")).toEqual({ "a.txt": " M", "b c.txt": "M ", "x -> y": " D" });
  expect(parseTrackedStatus("")).toEqual({});
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
  const racy = { key: "a1", changedMs: COUNTED_AT - RACY_MS + 1 };
  expect(planWorkingTree(last, "h1", sameStatus, { ...sameStamps, "a.txt": racy })).toEqual({ kind: "recount", paths: ["a.txt"] });
  const later = { key: "a1", changedMs: COUNTED_AT + 5 };
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
