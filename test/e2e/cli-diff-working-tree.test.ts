import { expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
  /** A shell script to run once, just before git diffs the whole working tree. */
  beforeWholeDiff(script: string): void;
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
  const hook = join(sb.paths.root, "before-whole-diff.sh");
  const statusDone = join(sb.paths.root, "status-done");
  mkdirSync(bin);
  // One NUL-separated line per call, then the real git. A hook file, when there is one, runs
  // once just before a diff of the whole working tree, after git status has ended.
  const git = Bun.which("git")!;
  writeFileSync(
    join(bin, "git"),
    [
      "#!/bin/sh",
      // One printf, so one write: git calls run at once, and two appends each would interleave.
      `printf '%s\\0' "$@" '\n' >> "${log}"`,
      `case "$*" in *" status "*) "${git}" "$@"; rc=$?; touch "${statusDone}"; exit $rc;; esac`,
      'prev=; last=; for a in "$@"; do prev=$last; last=$a; done',
      `if [ -f "${hook}" ] && [ "$prev" = HEAD ] && [ "$last" = -- ]; then`,
      `  i=0; while [ ! -f "${statusDone}" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; sh "${hook}"; rm -f "${hook}"`,
      "fi",
      `exec "${git}" "$@"`,
      "",
    ].join("\n"),
  );
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
    beforeWholeDiff(script: string) {
      writeFileSync(hook, script);
    },
    async stat() {
      rmSync(log, { force: true });
      rmSync(statusDone, { force: true });
      const stat = await run();
      const gitCalls = readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("\0").filter(Boolean))
        .filter((argv) => argv.length > 0);
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
/** Each call's git command (`status`, `diff`, …), its global options left out. */
const commands = (calls: string[][]) =>
  calls.map((argv) => argv.find((arg, i) => !arg.startsWith("-") && argv[i - 1] !== "-C")!).sort();
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

  // Nothing changed: no diff of the working tree at all, and the commits' side is kept
  // too. One status, and the base and HEAD resolved: that is all git is asked.
  const again = await w.stat();
  expect(workingTreeDiffs(again.gitCalls)).toEqual([]);
  expect(commands(again.gitCalls)).toEqual(["rev-parse", "rev-parse", "status"]);
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

test("a file changed between git status and git diff is never kept in the count, so its change back is seen", async () => {
  await using w = await watched("between");
  const { sb, worktree } = w;
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  w.beforeWholeDiff(`printf 'sneaked in\\n' >> "${join(worktree, "doomed.txt")}"\n`);
  const during = await w.stat();
  expect(during.stat.files.map((f) => f.path)).toEqual(["doomed.txt", "keep.txt"]);
  await sb.git(worktree, ["checkout", "--", "doomed.txt"]);
  const after = await w.stat();
  expect(after.stat.files.map((f) => f.path)).toEqual(["keep.txt"]);
  expect(after.stat).toEqual(await w.fresh());
});

test("attributes and config that change git's count are seen: info/attributes, a config's attributes file, an untracked .gitattributes", async () => {
  await using w = await watched("settings");
  const { sb, worktree } = w;
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await writeFile(join(worktree, "old.txt"), "a\nb\nc\n");
  await aged();
  await w.stat();
  const kinds = (stat: DiffStat) => stat.files.map((f) => [f.path, f.binary]);

  const commonDir = (await sb.git(worktree, ["rev-parse", "--path-format=absolute", "--git-common-dir"])).trim();
  mkdirSync(join(commonDir, "info"), { recursive: true });
  writeFileSync(join(commonDir, "info", "attributes"), "keep.txt binary\n");
  const infoAttributes = await w.stat();
  expect(kinds(infoAttributes.stat)).toEqual([["keep.txt", true], ["old.txt", false]]);
  expect(infoAttributes.stat).toEqual(await w.fresh());

  const attributesFile = join(sb.paths.root, "attributes");
  writeFileSync(attributesFile, "old.txt binary\n");
  await sb.git(worktree, ["config", "core.attributesFile", attributesFile]);
  const configured = await w.stat();
  expect(kinds(configured.stat)).toEqual([["keep.txt", true], ["old.txt", true]]);
  expect(configured.stat).toEqual(await w.fresh());

  rmSync(join(commonDir, "info", "attributes"));
  await sb.git(worktree, ["config", "--unset", "core.attributesFile"]);
  await w.stat();
  await writeFile(join(worktree, ".gitattributes"), "keep.txt -diff\n");
  const untracked = await w.stat();
  expect(untracked.stat.files.find((f) => f.path === "keep.txt")).toMatchObject({ binary: true });
  expect(untracked.stat).toEqual(await w.fresh());
});

test("an untracked symlink is read through every time: a change of what it points to is seen", async () => {
  await using w = await watched("linked");
  const { sb, worktree } = w;
  const target = join(sb.paths.root, "outside.txt");
  writeFileSync(target, "1\n2\n");
  symlinkSync(target, join(worktree, "link.txt"));
  await aged();
  expect((await w.stat()).stat.files.find((f) => f.path === "link.txt")).toMatchObject({ status: "untracked", added: 2 });
  writeFileSync(target, "1\n2\n3\n4\n");
  await aged();
  const after = await w.stat();
  expect(after.stat.files.find((f) => f.path === "link.txt")).toMatchObject({ added: 4 });
  expect(after.stat).toEqual(await w.fresh());
});

test("a submodule: its own untracked files change nothing and are not asked about again; a commit inside it is seen", async () => {
  await using w = await watched("sub");
  const { sb, worktree } = w;
  const library = await sb.makeRepo("library");
  await sb.git(worktree, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "lib"]);
  await sb.git(worktree, ["commit", "-q", "-m", "a submodule"]);
  await writeFile(join(worktree, "lib", "build-output.log"), "made by a build\n");
  await writeFile(join(worktree, "keep.txt"), "one\ntwo\nthree\nfour\n");
  await aged();
  const first = await w.stat();
  expect(first.stat.files.map((f) => f.path)).toEqual([".gitmodules", "keep.txt", "lib"]);
  const again = await w.stat();
  expect(workingTreeDiffs(again.gitCalls)).toEqual([]);
  expect(again.stat).toEqual(first.stat);

  await writeFile(join(worktree, "lib", "more.txt"), "more\n");
  await sb.git(join(worktree, "lib"), ["add", "more.txt"]);
  await sb.git(join(worktree, "lib"), ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "inside"]);
  const moved = await w.stat();
  expect(workingTreeDiffs(moved.gitCalls)).toEqual([[":(literal)lib"]]);
  expect(moved.stat).toEqual(await w.fresh());
});
