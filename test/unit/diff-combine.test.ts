import { expect, test } from "bun:test";
import { parseRawNumstatZ, type ChangedPath } from "../../src/adapters/git-diff-format.ts";
import { combineChanges, pathsToRecount } from "../../src/core/sessions/diff-combine.ts";

// The commits and the uncommitted work, diffed apart, put together as one diff against the
// merge base. Recorded from git 2.39 (test/fixtures/recorded/git-diff-combine-*.bin): a
// branch that committed an edit of keep.txt and solo.txt, old.txt renamed to new.txt,
// doomed.txt and gone.txt deleted; then, not committed, keep.txt and new.txt edited again,
// gone.txt re-created and staged, doomed.txt re-created untracked, moving.txt renamed.
// `full` is the one `git diff MERGE_BASE` it must equal; `recount` git's answer for the
// paths pathsToRecount names.
const recorded = async (name: string) => parseRawNumstatZ(await Bun.file(new URL(`../fixtures/recorded/git-diff-combine-${name}.bin`, import.meta.url)).text());
const sorted = (entries: ChangedPath[]) => [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

const entry = (path: string, status: ChangedPath["status"], added = 1, removed = 0, oldPath: string | null = null): ChangedPath => ({
  path,
  oldPath,
  status,
  binary: false,
  added,
  removed,
});

test("recorded: both sides touched the same files and renamed some; the recount makes it the full diff", async () => {
  const [committed, uncommitted, recount, full] = await Promise.all([recorded("committed"), recorded("uncommitted"), recorded("recount"), recorded("full")]);
  const paths = pathsToRecount(committed, uncommitted);
  expect(paths).toEqual(["doomed.txt", "gone.txt", "keep.txt", "moved.txt", "moving.txt", "new.txt", "old.txt"]);
  const combined = sorted(combineChanges(committed, uncommitted, paths, recount));
  expect(combined).toEqual(sorted(full));
  // Committed rename, then edited: one rename, counted against the merge base.
  expect(combined.find((file) => file.path === "new.txt")).toEqual(entry("new.txt", "renamed", 1, 0, "old.txt"));
  // Committed deletion re-created and staged: a modification; re-created untracked: still deleted (the untracked file is listed apart).
  expect(combined.find((file) => file.path === "gone.txt")).toEqual(entry("gone.txt", "modified", 1, 0));
  expect(combined.find((file) => file.path === "doomed.txt")).toEqual(entry("doomed.txt", "deleted", 0, 1));
});

test("different paths on each side, renames on one side only: nothing to recount, both lists as they are", () => {
  const committed = [entry("a.txt", "modified"), entry("b2.txt", "renamed", 0, 0, "b.txt"), entry("c.txt", "deleted", 0, 3)];
  const uncommitted = [entry("d.txt", "modified", 2, 2)];
  expect(pathsToRecount(committed, uncommitted)).toEqual([]);
  expect(pathsToRecount(uncommitted, committed)).toEqual([]);
  expect(combineChanges(committed, uncommitted, [], [])).toEqual([...committed, ...uncommitted]);
});

test("a file modified on both sides is recounted alone", () => {
  const committed = [entry("same.txt", "modified"), entry("moved.txt", "renamed", 0, 0, "orig.txt")];
  const uncommitted = [entry("same.txt", "modified", 1, 1), entry("other.txt", "modified")];
  expect(pathsToRecount(committed, uncommitted)).toEqual(["same.txt"]);
  const recounted = [entry("same.txt", "modified", 2, 1)];
  expect(combineChanges(committed, uncommitted, ["same.txt"], recounted)).toEqual([committed[1]!, uncommitted[1]!, recounted[0]!]);
});

test("a deletion on one side and an addition on the other may be one rename: all added, deleted and renamed files are recounted", () => {
  const committed = [entry("old.txt", "deleted", 0, 5), entry("edited.txt", "modified"), entry("b.txt", "renamed", 0, 0, "a.txt")];
  const uncommitted = [entry("copy.txt", "added", 5, 0)];
  expect(pathsToRecount(committed, uncommitted)).toEqual(["a.txt", "b.txt", "copy.txt", "old.txt"]);
});

test("a path recounted to no change at all drops out (renamed back, or put back as it was)", () => {
  const committed = [entry("new.txt", "renamed", 0, 0, "old.txt")];
  const uncommitted = [entry("old.txt", "renamed", 0, 0, "new.txt")];
  const paths = pathsToRecount(committed, uncommitted);
  expect(paths).toEqual(["new.txt", "old.txt"]);
  expect(combineChanges(committed, uncommitted, paths, [])).toEqual([]);
});
