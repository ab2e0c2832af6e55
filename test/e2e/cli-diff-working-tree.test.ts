import { expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DiffStat } from "../../src/core/sessions/diff-types.ts";
import { RACY_MS } from "../../src/core/sessions/working-tree-plan.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// The uncommitted half of `csm diff --stat` is kept between stats (core/sessions/
// working-tree-changes.ts): real git, with every git call csm makes written down by a
// wrapper in front of it on PATH, so a test sees which diffs git was asked for. After every
// step the stat must equal one made with nothing kept.
setDefaultTimeout(30_000);

interface Watched {
  sb: Sandbox;
  worktree: string;
  /** `csm diff --stat --json` with the git calls it made. */
  stat(): Promise<{ stat: DiffStat; gitCalls: string[][] }>;
  /** The same stat made from nothing: no cache of the commits or the working tree. */
  fresh(): Promise<DiffStat>;
}

async function watched(name: string): Promise<Watched & AsyncDisposable> {
  const sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  writeFileSync(join(repo, "keep.txt"), "one\ntwo\nthree\n");
  writeFileSync(join(repo, "old.txt"), "a\nb\nc\nd\ne\nf\ng\n");
  writeFileSync(join(repo, "doomed.txt"), "bye\n");
  await sb.git(repo, ["add", "."]);
  await sb.git(repo, ["commit", "-q", "-m", "files"]);
  await createSession(sb, name, repo);
  const worktree = worktreePath(sb, repo, name);

  const bin = join(sb.paths.root, "git-watch");
  const log = join(sb.paths.root, "git-calls");
  mkdirSync(bin);
  // One NUL-separated line per call, written whole, then the real git.
  writeFileSync(join(bin, "git"), `#!/bin/sh\nprintf '%s\\0' "$@" >> "${log}"\nprintf '\\n' >> "${log}"\nexec ${Bun.which("git")} "$@"\n`);
  chmodSync(join(bin, "git"), 0o755);
  const env = { PATH: `${bin}:${sb.env.PATH}` };
  const caches = [`${name}.json`, `${name}.work.json`].map((file) => join(sb.paths.stateHome, "csm", "diff-cache", file));

  const run = async () => {
    const result = await sb.csm(["diff", name, "--stat", "--json"], { env });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    return JSON.parse(result.stdout) as DiffStat;
  };
  return {
    sb,
    worktree,
    async stat() {
      rmSync(log, { force: true });
      const stat = await run();
      const gitCalls = readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("\0").filter(Boolean));
      return { stat, gitCalls };
    },
    async fresh() {
      await Promise.all(caches.map((file) => rm(file, { force: true })));
      return run();
    },
    [Symbol.asyncDispose]: () => sb.dispose(),
  };
}

/** The working-tree diffs git was asked for: the paths each was limited to ([] for the whole tree). */
const workingTreeDiffs = (calls: string[][]) => calls.filter((argv) => argv.includes("diff") && argv.includes("HEAD")).map((argv) => argv.slice(argv.indexOf("--") + 1));
/** Files older than the racy margin are trusted as they are stamped. */
const aged = () => Bun.sleep(RACY_MS + 100);

test("a stat asked again asks git only about the files that changed since, and always equals one made from nothing", async () => {
  await using w = await watched("kept");
  const { worktree } = w;
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await writeFile(join(worktree, "old.txt"), "a\nb\nc\n");
  await writeFile(join(worktree, "notes.md"), "# notes\n");
  await aged();

  const first = await w.stat();
  expect(workingTreeDiffs(first.gitCalls)).toEqual([[]]);
  expect(first.stat.files.map((f) => [f.path, f.status, f.added, f.removed])).toEqual([
    ["keep.txt", "modified", 1, 0],
    ["notes.md", "untracked", 1, 0],
    ["old.txt", "modified", 0, 4],
  ]);

  // Nothing changed: no diff of the working tree at all.
  const again = await w.stat();
  expect(workingTreeDiffs(again.gitCalls)).toEqual([]);
  expect(again.stat).toEqual(first.stat);

  // The same size written again, and another file back as HEAD has it: those two alone.
  await writeFile(join(worktree, "keep.txt"), "ONE\ntwo\nthree\nfour\n");
  await w.sb.git(worktree, ["checkout", "--", "old.txt"]);
  await writeFile(join(worktree, "notes.md"), "# notes\nmore\n");
  const edited = await w.stat();
  expect(workingTreeDiffs(edited.gitCalls)).toEqual([[":(literal)keep.txt", ":(literal)old.txt"]]);
  expect(edited.stat.files.map((f) => [f.path, f.status, f.added, f.removed])).toEqual([
    ["keep.txt", "modified", 2, 1],
    ["notes.md", "untracked", 2, 0],
  ]);
  expect(edited.stat).toEqual(await w.fresh());
});

test("a deletion, a rename and a commit are counted whole again; a kill removes what was kept", async () => {
  await using w = await watched("moves");
  const { sb, worktree } = w;
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await aged();
  await w.stat();

  await rm(join(worktree, "doomed.txt"));
  const deleted = await w.stat();
  expect(workingTreeDiffs(deleted.gitCalls)).toEqual([[]]);
  expect(deleted.stat.files.map((f) => [f.path, f.status])).toEqual([
    ["doomed.txt", "deleted"],
    ["keep.txt", "modified"],
  ]);
  expect(deleted.stat).toEqual(await w.fresh());

  await sb.git(worktree, ["mv", "old.txt", "new.txt"]);
  const renamed = await w.stat();
  expect(workingTreeDiffs(renamed.gitCalls)).toEqual([[]]);
  expect(renamed.stat.files.find((f) => f.path === "new.txt")).toMatchObject({ status: "renamed", oldPath: "old.txt" });
  expect(renamed.stat).toEqual(await w.fresh());

  await sb.git(worktree, ["commit", "-q", "-am", "work"]);
  const committed = await w.stat();
  expect(workingTreeDiffs(committed.gitCalls)).toEqual([[]]);
  expect(committed.stat).toEqual(await w.fresh());

  const kept = join(sb.paths.stateHome, "csm", "diff-cache", "moves.work.json");
  expect(await Bun.file(kept).exists()).toBe(true);
  expect((await sb.csm(["kill", "moves", "--force"])).code).toBe(0);
  expect(await Bun.file(kept).exists()).toBe(false);
});
