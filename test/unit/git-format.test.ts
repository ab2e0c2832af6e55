import { expect, test } from "bun:test";
import { parseGitVersion, parseStatusZ, parseWorktreeList } from "../../src/adapters/git-format.ts";

const fixture = (name: string) => Bun.file(new URL(`../fixtures/recorded/${name}`, import.meta.url)).text();

test("parses git worktree list --porcelain recorded from git 2.39", async () => {
  const entries = parseWorktreeList(await fixture("git-worktree-list.txt"));
  expect(entries.map((e) => e.path)).toEqual(["/tmp/recrepo", "/tmp/recwt1", "/tmp/recwt2", "/tmp/recwt3", "/tmp/recwt4"]);
  expect(entries[0]).toMatchObject({ branch: "refs/heads/main", detached: false, locked: false });
  expect(entries[1]!.head).toBe("047dc67e9fbc9d0010f549bd91af039a4088ce0d");
  expect(entries[2]).toMatchObject({ branch: null, detached: true });
  expect(entries[3]).toMatchObject({ branch: "refs/heads/locked-one", locked: true });
  expect(entries[4]).toMatchObject({ branch: "refs/heads/gone", prunable: true });
});

test("parses git status --porcelain=v1 -z recorded output, renames included", async () => {
  expect(parseStatusZ(await fixture("git-status-z.bin"))).toEqual(["RM renamed file.txt", "?? a.txt", "?? sub/new.txt"]);
});

test("clean status is empty", () => {
  expect(parseStatusZ("")).toEqual([]);
});

test("git versions", () => {
  expect(parseGitVersion("git version 2.39.5")).toEqual([2, 39]);
  expect(parseGitVersion("git version 2.43.0.windows.1")).toEqual([2, 43]);
  expect(parseGitVersion("hg")).toBeNull();
});
