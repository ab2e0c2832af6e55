import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseRawNumstatZ } from "../../src/adapters/git-diff-format.ts";
import type { DiffStat } from "../../src/core/sessions/diff-types.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// csm diffs the commits and the uncommitted work apart and puts them together: the stat
// must be what one `git diff MERGE_BASE` says, with the untracked files after it, when the
// uncommitted work goes back over what was committed.
setDefaultTimeout(30_000);

const FILES: Record<string, string> = {
  "keep.txt": "one\ntwo\nthree\n",
  "old.txt": "a\nb\nc\nd\ne\nf\ng\n",
  "doomed.txt": "bye\n",
  "gone.txt": "x\n",
  "moving.txt": "p\nq\nr\ns\nt\nu\n",
  "source.txt": "1\n2\n3\n4\n5\n6\n",
};

async function session(sb: Sandbox, name: string) {
  const repo = await sb.makeRepo("app");
  for (const [path, text] of Object.entries(FILES)) await writeFile(join(repo, path), text);
  await sb.git(repo, ["add", "."]);
  await sb.git(repo, ["commit", "-q", "-m", "files"]);
  await createSession(sb, name, repo);
  return worktreePath(sb, repo, name);
}

/** What one diff of the working tree against the merge base says, as csm lists it. */
async function oneDiff(sb: Sandbox, worktree: string, mergeBase: string) {
  const result = await sb.run(["git", "-C", worktree, "diff", "--raw", "--numstat", "-z", "-M", mergeBase, "--"]);
  return parseRawNumstatZ(result.stdout).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function stat(sb: Sandbox, name: string): Promise<DiffStat> {
  const result = await sb.csm(["diff", name, "--stat", "--json"]);
  expect(result).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(result.stdout) as DiffStat;
}

test("committed, then changed again: one entry per path, counted against the merge base", async () => {
  await using sb = await makeSandbox();
  const worktree = await session(sb, "again");
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await sb.git(worktree, ["mv", "old.txt", "new.txt"]);
  await sb.git(worktree, ["rm", "-q", "doomed.txt", "gone.txt", "source.txt"]);
  await sb.git(worktree, ["commit", "-q", "-a", "-m", "work"]);
  // Not committed: edits over committed edits, a committed rename edited, deletions undone.
  await writeFile(join(worktree, "keep.txt"), "one\nTWO\nthree\nfour\nfive\n");
  await writeFile(join(worktree, "new.txt"), "a\nb\nc\nd\ne\nf\ng\nh\n");
  await writeFile(join(worktree, "doomed.txt"), "back\n");
  await writeFile(join(worktree, "gone.txt"), "x\ny\n");
  await sb.git(worktree, ["add", "gone.txt"]);
  // The committed deletion of source.txt and this staged copy are one rename against the merge base.
  await writeFile(join(worktree, "copy.txt"), FILES["source.txt"]!);
  await sb.git(worktree, ["add", "copy.txt"]);
  await sb.git(worktree, ["mv", "moving.txt", "moved.txt"]);

  const got = await stat(sb, "again");
  expect(got.files.map((f) => [f.status, f.oldPath, f.path, f.added, f.removed])).toEqual([
    ["renamed", "source.txt", "copy.txt", 0, 0],
    ["deleted", null, "doomed.txt", 0, 1],
    ["untracked", null, "doomed.txt", 1, 0],
    ["modified", null, "gone.txt", 1, 0],
    ["modified", null, "keep.txt", 3, 1],
    ["renamed", "moving.txt", "moved.txt", 0, 0],
    ["renamed", "old.txt", "new.txt", 1, 0],
  ]);
  expect(got.files.filter((f) => f.status !== "untracked")).toEqual(await oneDiff(sb, worktree, got.mergeBase));
});

test("changed back to what the merge base had: nothing listed", async () => {
  await using sb = await makeSandbox();
  const worktree = await session(sb, "undone");
  await writeFile(join(worktree, "keep.txt"), "changed\n");
  await sb.git(worktree, ["mv", "old.txt", "new.txt"]);
  await sb.git(worktree, ["commit", "-q", "-a", "-m", "work"]);
  await writeFile(join(worktree, "keep.txt"), FILES["keep.txt"]!);
  await sb.git(worktree, ["mv", "new.txt", "old.txt"]);

  const got = await stat(sb, "undone");
  expect(got).toMatchObject({ ahead: 1, files: [], added: 0, removed: 0 });
  expect(await oneDiff(sb, worktree, got.mergeBase)).toEqual([]);
});
