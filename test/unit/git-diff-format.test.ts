import { expect, test } from "bun:test";
import { countLines, looksBinary, parseLeftRightCount, parsePathsZ, parseRawNumstatZ } from "../../src/adapters/git-diff-format.ts";

// Recorded from git 2.39 in a temp repo: a branch with commits (added, deleted, renamed,
// modified) and on top uncommitted work (a binary edit, a staged file whose name holds a
// tab, one with a newline, one starting with ':', a file turned into a symlink) and
// untracked files (one binary), diffed against the merge base.
const fixture = (name: string) => Bun.file(new URL(`../fixtures/recorded/${name}`, import.meta.url)).text();

test("parses git diff --raw --numstat -z -M: status from raw, counts from numstat", async () => {
  const files = parseRawNumstatZ(await fixture("git-diff-raw-numstat-z.bin"));
  expect(files).toEqual([
    { path: ":colon.txt", oldPath: null, status: "added", binary: false, added: 1, removed: 0 },
    { path: "added.txt", oldPath: null, status: "added", binary: false, added: 2, removed: 0 },
    { path: "deleted.txt", oldPath: null, status: "deleted", binary: false, added: 0, removed: 1 },
    { path: "img.bin", oldPath: null, status: "modified", binary: true, added: 0, removed: 0 },
    { path: "keep.txt", oldPath: null, status: "modified", binary: false, added: 2, removed: 0 },
    { path: "line\nbreak.txt", oldPath: null, status: "added", binary: false, added: 1, removed: 0 },
    { path: "new name.txt", oldPath: "old name.txt", status: "renamed", binary: false, added: 0, removed: 0 },
    { path: "tab\tname.txt", oldPath: null, status: "added", binary: false, added: 1, removed: 0 },
    { path: "typechg", oldPath: null, status: "type-changed", binary: false, added: 1, removed: 1 },
    { path: "ü.txt", oldPath: null, status: "added", binary: false, added: 1, removed: 0 },
  ]);
});

test("no changes parse to no files", () => {
  expect(parseRawNumstatZ("")).toEqual([]);
});

test("parses git ls-files --others -z", async () => {
  expect(parsePathsZ(await fixture("git-ls-files-others-z.bin"))).toEqual(["sub/u.bin", "sub/untracked.txt"]);
  expect(parsePathsZ("")).toEqual([]);
});

test("parses git rev-list --left-right --count: the left side is the base", async () => {
  expect(parseLeftRightCount(await fixture("git-rev-list-left-right-count.txt"))).toEqual({ behind: 0, ahead: 1 });
  expect(parseLeftRightCount("3\t5\n")).toEqual({ behind: 3, ahead: 5 });
});

test("lines are counted as git counts them", () => {
  expect(countLines("")).toBe(0);
  expect(countLines("a\nb\n")).toBe(2);
  expect(countLines("a\nb")).toBe(2);
  expect(countLines("\n")).toBe(1);
});

test("a NUL near the start makes a file binary; one far in does not", () => {
  expect(looksBinary("\0abc")).toBe(true);
  expect(looksBinary("plain text\n")).toBe(false);
  expect(looksBinary(`${"x".repeat(9000)}\0`)).toBe(false);
});
