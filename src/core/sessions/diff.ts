import { join } from "node:path";
import { countLines, looksBinary } from "../../adapters/git-diff-format.ts";
import { CsmError, notFoundError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import type { Context } from "../context.ts";
import type { DiffFile, DiffStat, FileDiff } from "./diff-types.ts";

// What a session changed against its base, as a reviewer needs it before merging: its
// commits, its uncommitted work and its untracked files, all against the merge base of
// the session's HEAD with its base. The stat takes a fixed handful of git calls however
// many files changed; a file's hunks are read only when that file is asked for.

/** Untracked files read at once: enough to hide latency, few enough to stay clear of the fd limit. */
const READ_CONCURRENCY = 32;
/** git processes at once for the full listing: the machine has other work (claude) too. */
const PATCH_CONCURRENCY = 4;

interface Target {
  record: SessionRecord;
  worktree: string;
  /** The ref the diff is against (the base ref, or the base commit when that ref is gone). */
  baseRef: string;
  baseCommit: string;
  mergeBase: string;
}

async function target(ctx: Context, name: string): Promise<Target> {
  checkName("session", name);
  const record = ctx.sessions().get(ctx.host.hostName, name);
  if (!record) throw notFoundError("session", name, "see `csm list`");
  const worktree = record.worktree;
  if (!(await ctx.host.files.exists(worktree))) {
    throw new CsmError("WorktreeGone", `the worktree of ${name} is gone: ${worktree} was removed outside csm (\`csm kill ${name}\` forgets the session)`, {
      data: { name, worktree },
    });
  }
  // The base as it is now (what a merge would go into); the commit the session started
  // from when that ref no longer names anything. Refs are resolved in the repository,
  // where a base such as `main` or `HEAD` means what it meant at create.
  const repo = record.repo ?? worktree;
  const byRef = record.baseRef ? await ctx.git.resolveCommit(repo, record.baseRef) : null;
  const baseCommit = byRef ?? (record.baseCommit ? await ctx.git.resolveCommit(repo, record.baseCommit) : null);
  const baseRef = byRef ? record.baseRef! : record.baseCommit;
  if (!baseCommit || !baseRef) {
    throw new CsmError("BaseNotFound", `${name} has no base to diff against: ${record.baseRef ?? "its base ref"} and its base commit are both gone`, {
      data: { name, baseRef: record.baseRef, baseCommit: record.baseCommit },
    });
  }
  const mergeBase = await ctx.git.mergeBase(worktree, baseCommit, "HEAD");
  if (!mergeBase) {
    throw new CsmError("BaseNotFound", `${name}'s HEAD shares no history with its base ${baseRef}`, { data: { name, baseRef } });
  }
  return { record, worktree, baseRef, baseCommit, mergeBase };
}

/** An untracked file counted the way numstat counts a new file. Unreadable (a nested repository's directory): named only. */
async function untrackedEntry(ctx: Context, worktree: string, path: string): Promise<DiffFile> {
  const content = await ctx.host.files.read(join(worktree, path)).catch(() => null);
  const binary = content === null || looksBinary(content);
  return { path, oldPath: null, status: "untracked", binary, added: binary ? 0 : countLines(content), removed: 0 };
}

async function mapPooled<T, R>(items: readonly T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await each(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const byPath = (a: DiffFile, b: DiffFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Every path the session changed, with line counts, and how far its branch is from the base. */
export async function diffStat(ctx: Context, name: string): Promise<DiffStat> {
  return statOf(ctx, name, await target(ctx, name));
}

async function statOf(ctx: Context, name: string, at: Target): Promise<DiffStat> {
  const [tracked, untrackedPaths, counts] = await Promise.all([
    ctx.git.changedSince(at.worktree, at.mergeBase),
    ctx.git.untrackedFiles(at.worktree),
    ctx.git.aheadBehind(at.worktree, at.baseCommit),
  ]);
  const untracked = await mapPooled(untrackedPaths, READ_CONCURRENCY, (path) => untrackedEntry(ctx, at.worktree, path));
  const files = [...tracked, ...untracked].sort(byPath);
  return {
    session: name,
    baseRef: at.baseRef,
    mergeBase: at.mergeBase,
    ahead: counts.ahead,
    behind: counts.behind,
    files,
    added: files.reduce((sum, file) => sum + file.added, 0),
    removed: files.reduce((sum, file) => sum + file.removed, 0),
  };
}

async function hunksOf(ctx: Context, at: Target, file: DiffFile): Promise<FileDiff> {
  if (file.binary) return { path: file.path, binary: true, diff: "" };
  if (file.status === "untracked") return { path: file.path, binary: false, diff: await ctx.git.diffUntracked(at.worktree, file.path) };
  const paths = file.oldPath === null ? [file.path] : [file.oldPath, file.path];
  return { path: file.path, binary: false, diff: await ctx.git.diffSince(at.worktree, at.mergeBase, paths) };
}

/** The stat and every file's diff (a binary file's empty), in the stat's order: what `csm diff` prints. */
export async function diffWithFiles(ctx: Context, name: string): Promise<{ stat: DiffStat; files: FileDiff[] }> {
  const at = await target(ctx, name);
  const stat = await statOf(ctx, name, at);
  // One git call per file, a few at a time: only the full listing pays for it, never the stat.
  const files = await mapPooled(stat.files, PATCH_CONCURRENCY, (file) => hunksOf(ctx, at, file));
  return { stat, files };
}

/**
 * One changed file's unified diff against the merge base. `path` is data from a client: only
 * a path in the session's list of changes is read, so `../../etc/passwd` is simply not found.
 */
export async function fileDiff(ctx: Context, name: string, path: string): Promise<FileDiff> {
  const at = await target(ctx, name);
  const [tracked, untracked] = await Promise.all([ctx.git.changedSince(at.worktree, at.mergeBase), ctx.git.untrackedFiles(at.worktree)]);
  const file = tracked.find((changed) => changed.path === path) ?? (untracked.includes(path) ? await untrackedEntry(ctx, at.worktree, path) : null);
  if (!file) {
    throw new CsmError("NotFound", `${name} changed no file named ${JSON.stringify(path)}; see \`csm diff ${name} --stat\``, { data: { what: "changed file", name: path } });
  }
  return hunksOf(ctx, at, file);
}
