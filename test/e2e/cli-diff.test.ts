import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createContext } from "../../src/core/context.ts";
import { fileDiff } from "../../src/core/sessions/diff.ts";
import type { DiffStat, FileDiff } from "../../src/core/sessions/diff-types.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// `csm diff NAME` against real git: commits, uncommitted and untracked work, all against
// the merge base with the session's base.
setDefaultTimeout(30_000);

async function session(sb: Sandbox, name: string) {
  const repo = await sb.makeRepo("app");
  await writeFile(join(repo, "keep.txt"), "one\ntwo\nthree\n");
  await writeFile(join(repo, "old.txt"), "a\nb\nc\nd\ne\nf\ng\n");
  await writeFile(join(repo, "doomed.txt"), "bye\n");
  await sb.git(repo, ["add", "."]);
  await sb.git(repo, ["commit", "-q", "-m", "files"]);
  await createSession(sb, name, repo);
  return { repo, worktree: worktreePath(sb, repo, name) };
}

async function stat(sb: Sandbox, name: string): Promise<DiffStat> {
  const result = await sb.csm(["diff", name, "--stat", "--json"]);
  expect(result).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(result.stdout) as DiffStat;
}

test("commits only: what the branch added, renamed and deleted, and how far ahead it is", async () => {
  await using sb = await makeSandbox();
  const { repo, worktree } = await session(sb, "commits");
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await sb.git(worktree, ["mv", "old.txt", "new.txt"]);
  await sb.git(worktree, ["rm", "-q", "doomed.txt"]);
  await writeFile(join(worktree, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 0x1b]));
  await sb.git(worktree, ["add", "."]);
  await sb.git(worktree, ["commit", "-q", "-m", "work"]);
  // The base moves on too: one commit behind.
  await writeFile(join(repo, "base-only.txt"), "x\n");
  await sb.git(repo, ["add", "."]);
  await sb.git(repo, ["commit", "-q", "-m", "base moves"]);

  const got = await stat(sb, "commits");
  expect(got).toMatchObject({ session: "commits", baseRef: "main", ahead: 1, behind: 1, added: 1, removed: 1 });
  expect(got.files).toEqual([
    { path: "doomed.txt", oldPath: null, status: "deleted", binary: false, added: 0, removed: 1 },
    { path: "image.png", oldPath: null, status: "added", binary: true, added: 0, removed: 0 },
    { path: "keep.txt", oldPath: null, status: "modified", binary: false, added: 1, removed: 0 },
    { path: "new.txt", oldPath: "old.txt", status: "renamed", binary: false, added: 0, removed: 0 },
  ]);

  const text = await sb.csm(["diff", "commits"]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain("4 files, +1 -1; 1 commit ahead, 1 behind base main");
  expect(text.stdout).toMatch(/added\s+binary\s+image\.png/);
  expect(text.stdout).toContain("old.txt → new.txt");
  expect(text.stdout).toContain("+four");
  expect(text.stdout).toContain("-bye");
  // Named, never printed: not a byte of the PNG reaches the terminal.
  expect(text.stdout).not.toContain("PNG");
  expect(text.stdout).not.toContain("\x1b");
});

test("uncommitted and untracked work counts, staged or not", async () => {
  await using sb = await makeSandbox();
  const { worktree } = await session(sb, "dirty");
  await writeFile(join(worktree, "keep.txt"), "one\nTWO\nthree\n");
  await writeFile(join(worktree, "staged.txt"), "s1\ns2\n");
  await sb.git(worktree, ["add", "staged.txt"]);
  await mkdir(join(worktree, "sub"));
  await writeFile(join(worktree, "sub", "new.txt"), "n1\nn2\nn3");
  await writeFile(join(worktree, "sub", "blob.bin"), Buffer.from([1, 0, 2]));

  const got = await stat(sb, "dirty");
  expect(got).toMatchObject({ ahead: 0, behind: 0, added: 6, removed: 1 });
  expect(got.files.map((f) => [f.status, f.path, f.binary, f.added, f.removed])).toEqual([
    ["modified", "keep.txt", false, 1, 1],
    ["added", "staged.txt", false, 2, 0],
    ["untracked", "sub/blob.bin", true, 0, 0],
    ["untracked", "sub/new.txt", false, 3, 0],
  ]);

  const full = await sb.csm(["diff", "dirty", "--json"]);
  const parsed = JSON.parse(full.stdout) as { stat: DiffStat; files: FileDiff[] };
  expect(parsed.stat).toEqual(got);
  expect(parsed.files.map((f) => [f.path, f.binary])).toEqual([
    ["keep.txt", false],
    ["staged.txt", false],
    ["sub/blob.bin", true],
    ["sub/new.txt", false],
  ]);
  expect(parsed.files[0]!.diff).toContain("-two\n+TWO");
  expect(parsed.files[2]!.diff).toBe("");
  expect(parsed.files[3]!.diff).toContain("+++ b/sub/new.txt");
});

test("a path given for one file's diff is data: only a changed file is read", async () => {
  await using sb = await makeSandbox();
  const { worktree } = await session(sb, "paths");
  await writeFile(join(worktree, "keep.txt"), "changed\n");
  await writeFile(join(worktree, "*.txt"), "a glob is a name\n");
  await writeFile(join(worktree, "blob.bin"), Buffer.from([0x1b, 0, 0x5b, 0x32, 0x4a]));
  await sb.git(worktree, ["add", "blob.bin"]);
  await sb.git(worktree, ["mv", "old.txt", "moved.txt"]);
  const ctx = await createContext(sb.env);
  try {
    for (const hostile of ["../../etc/passwd", "/etc/passwd", "README.md", "keep.txt/../README.md", ""]) {
      const error = await fileDiff(ctx, "paths", hostile).catch((e: unknown) => e);
      expect([hostile, (error as Error).name]).toEqual([hostile, "NotFound"]);
    }
    expect((await fileDiff(ctx, "paths", "keep.txt")).diff).toContain("+changed");
    // Literal pathspecs: `*.txt` is that one file, not every text file.
    const glob = await fileDiff(ctx, "paths", "*.txt");
    expect(glob.diff).toContain("+a glob is a name");
    expect(glob.diff).not.toContain("keep.txt");
    expect(await fileDiff(ctx, "paths", "blob.bin")).toEqual({ path: "blob.bin", binary: true, diff: "" });
    const moved = await fileDiff(ctx, "paths", "moved.txt");
    expect(moved.diff).toContain("rename from old.txt");
    // A rename's old path is not a changed file of its own.
    expect(((await fileDiff(ctx, "paths", "old.txt").catch((e: unknown) => e)) as Error).name).toBe("NotFound");
  } finally {
    ctx.close();
  }
});

test("a worktree removed behind csm's back is a clear error naming it", async () => {
  await using sb = await makeSandbox();
  const { worktree } = await session(sb, "gone");
  await rename(worktree, `${worktree}.moved`);
  const result = await sb.csm(["diff", "gone", "--stat"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain(worktree);
  expect(result.stderr).toContain("gone");
  await rm(`${worktree}.moved`, { recursive: true, force: true });
});

test("a branch that shares no history with its base says so, first time and again, and a gone base is one clear error", async () => {
  await using sb = await makeSandbox();
  const { repo, worktree } = await session(sb, "orphan");
  await sb.git(worktree, ["checkout", "-q", "--orphan", "elsewhere"]);
  await sb.git(worktree, ["commit", "-q", "--allow-empty", "-m", "unrelated"]);
  for (const round of [1, 2]) {
    const result = await sb.csm(["diff", "orphan", "--stat"]);
    expect({ round, code: result.code, stderr: result.stderr }).toEqual({ round, code: 1, stderr: "csm: orphan's HEAD shares no history with its base main\n" });
  }
  // The base branch and the commit it started from both gone: one line saying so, no crash dump.
  const baseCommit = await sb.git(repo, ["rev-parse", "main"]);
  await sb.git(repo, ["checkout", "-q", "--detach"]);
  await sb.git(repo, ["branch", "-q", "-D", "main"]);
  await rm(join(repo, ".git", "objects", baseCommit.slice(0, 2), baseCommit.slice(2)));
  for (const round of [1, 2, 3]) {
    const result = await sb.csm(["diff", "orphan", "--stat"]);
    expect({ round, code: result.code, stderr: result.stderr }).toEqual({ round, code: 1, stderr: "csm: orphan has no base to diff against: main and its base commit are both gone\n" });
  }
});

test("escape sequences in a changed file or its name never reach the terminal raw", async () => {
  await using sb = await makeSandbox();
  const { worktree } = await session(sb, "hostile");
  await writeFile(join(worktree, "keep.txt"), "one\n\x1b]0;pwned\x07\x1b[2J\x9b31m\u202etwo\n");
  await writeFile(join(worktree, "evil\x1b[31m.txt"), "\x1b]52;c;Y2xpcA==\x07\n");
  const result = await sb.csm(["diff", "hostile"]);
  expect(result.code).toBe(0);
  expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
  expect(result.stdout).toContain("␛]0;pwned␇");
  expect(result.stdout).toContain("evil␛[31m.txt");
});

test("an unknown session is not found", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["diff", "nobody"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("nobody");
});

test("the commits' diff is kept between stats only while its commits stay: a new commit, a moved base and a kill are seen", async () => {
  await using sb = await makeSandbox();
  const { repo, worktree } = await session(sb, "kept");
  await writeFile(join(worktree, "first.txt"), "1\n");
  await sb.git(worktree, ["add", "."]);
  await sb.git(worktree, ["commit", "-q", "-m", "first"]);
  expect((await stat(sb, "kept")).files.map((f) => f.path)).toEqual(["first.txt"]);
  const cache = join(sb.paths.stateHome, "csm", "diff-cache", "kept.json");
  expect(await Bun.file(cache).exists()).toBe(true);

  await writeFile(join(worktree, "second.txt"), "2\n2\n");
  await sb.git(worktree, ["add", "."]);
  await sb.git(worktree, ["commit", "-q", "-m", "second"]);
  expect((await stat(sb, "kept")).files.map((f) => [f.path, f.added])).toEqual([["first.txt", 1], ["second.txt", 2]]);

  // The base gets the first file's very change: against the new merge base it is no change of the session's.
  await sb.git(repo, ["cherry-pick", (await sb.git(worktree, ["rev-parse", "HEAD~1"])).trim()]);
  await sb.git(worktree, ["rebase", "-q", "main"]);
  expect((await stat(sb, "kept")).files.map((f) => f.path)).toEqual(["second.txt"]);

  expect((await sb.csm(["kill", "kept", "--force"])).code).toBe(0);
  expect(await Bun.file(cache).exists()).toBe(false);
});
