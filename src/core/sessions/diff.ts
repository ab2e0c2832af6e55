import type { ChangedPath } from "../../adapters/git-diff-format.ts";
import { CsmError, notFoundError } from "../../shared/errors.ts";
import { mapPooled } from "../../shared/map-pooled.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import type { Context } from "../context.ts";
import { committedSide } from "./committed-diff-cache.ts";
import { combineChanges, pathsToRecount } from "./diff-combine.ts";
import type { DiffFile, DiffStat, FileDiff } from "./diff-types.ts";
import { untrackedEntry, workingTreeChanges } from "./working-tree-changes.ts";

// What a session changed against its base, as a reviewer needs it before merging: its
// commits, its uncommitted work and its untracked files, all against the merge base of
// the session's HEAD with its base. The stat takes a fixed handful of git calls however
// many files changed; a file's hunks are read only when that file is asked for.

/** git processes at once for the full listing: the machine has other work (claude) too. */
const PATCH_CONCURRENCY = 4;
/** Paths counted again in one call at most (their total length): well inside any argv limit. */
const RECOUNT_LIMIT_CHARS = 64 * 1024;

interface Base {
  /** The ref the diff is against (the base ref, or the base commit when that ref is gone). */
  baseRef: string;
  baseCommit: string;
}

interface Target extends Base {
  worktree: string;
  mergeBase: string;
}

function sessionRecord(ctx: Context, name: string): SessionRecord {
  checkName("session", name);
  const record = ctx.sessions().get(ctx.host.hostName, name);
  if (!record) throw notFoundError("session", name, "see `csm list`");
  return record;
}

async function checkWorktree(ctx: Context, record: SessionRecord): Promise<void> {
  if (!(await ctx.host.files.exists(record.worktree))) {
    throw new CsmError("WorktreeGone", `the worktree of ${record.name} is gone: ${record.worktree} was removed outside csm (\`csm kill ${record.name}\` forgets the session)`, {
      data: { name: record.name, worktree: record.worktree },
    });
  }
}

/** The session's record, once its worktree is known to be there. */
async function sessionWithWorktree(ctx: Context, name: string): Promise<SessionRecord> {
  const record = sessionRecord(ctx, name);
  await checkWorktree(ctx, record);
  return record;
}

/**
 * The base as it is now (what a merge would go into); the commit the session started from
 * when that ref no longer names anything. Refs are resolved in the repository, where a
 * base such as `main` or `HEAD` means what it meant at create.
 */
async function baseOf(ctx: Context, record: SessionRecord): Promise<Base> {
  const repo = record.repo ?? record.worktree;
  const byRef = record.baseRef ? await ctx.git.resolveCommit(repo, record.baseRef) : null;
  const baseCommit = byRef ?? (record.baseCommit ? await ctx.git.resolveCommit(repo, record.baseCommit) : null);
  const baseRef = byRef ? record.baseRef : record.baseCommit;
  if (!baseCommit || !baseRef) {
    throw new CsmError("BaseNotFound", `${record.name} has no base to diff against: ${record.baseRef ?? "its base ref"} and its base commit are both gone`, {
      data: { name: record.name, baseRef: record.baseRef, baseCommit: record.baseCommit },
    });
  }
  return { baseRef, baseCommit };
}

const noSharedHistory = (name: string, baseRef: string) =>
  new CsmError("BaseNotFound", `${name}'s HEAD shares no history with its base ${baseRef}`, { data: { name, baseRef } });

async function mergeBaseOf(ctx: Context, record: SessionRecord, base: Base): Promise<string> {
  const mergeBase = await ctx.git.mergeBase(record.worktree, base.baseCommit, "HEAD");
  if (!mergeBase) throw noSharedHistory(record.name, base.baseRef);
  return mergeBase;
}

async function target(ctx: Context, name: string): Promise<Target> {
  const record = await sessionWithWorktree(ctx, name);
  const base = await baseOf(ctx, record);
  return { ...base, worktree: record.worktree, mergeBase: await mergeBaseOf(ctx, record, base) };
}

const byPath = (a: DiffFile, b: DiffFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The tracked paths that differ from the merge base, as one `git diff MERGE_BASE` would list
 * them, from the commits and the uncommitted work diffed apart (see diff-combine.ts): diffing
 * the whole working tree against an old tree costs git far more than the two together.
 */
async function trackedChanges(ctx: Context, worktree: string, mergeBase: string, committed: ChangedPath[], uncommitted: ChangedPath[]): Promise<ChangedPath[]> {
  const recount = pathsToRecount(committed, uncommitted);
  if (recount.length === 0) return [...committed, ...uncommitted];
  // So many paths would make a long argv; the one full diff is then no dearer.
  if (recount.reduce((chars, path) => chars + path.length, 0) > RECOUNT_LIMIT_CHARS) return ctx.git.changedSince(worktree, mergeBase);
  return combineChanges(committed, uncommitted, recount, await ctx.git.changedSince(worktree, mergeBase, recount));
}

/** Every path the session changed, with line counts, and how far its branch is from the base. */
export async function diffStat(ctx: Context, name: string): Promise<DiffStat> {
  const record = sessionRecord(ctx, name);
  const worktree = record.worktree;
  // Each step starts as soon as what it needs is known (`bun run bench diff`): the base is
  // resolved, the working tree's status taken, all at once; the commits' side as soon as
  // the base and HEAD are known; untracked files are read once that has started.
  // A worktree that is gone makes git fail too; the check says why, so it is awaited first.
  const there = checkWorktree(ctx, record);
  const base = baseOf(ctx, record);
  const head = ctx.git.resolveCommit(worktree, "HEAD");
  const committed = Promise.all([base, head]).then(([{ baseRef, baseCommit }, headCommit]) => {
    if (!headCommit) throw noSharedHistory(record.name, baseRef);
    return committedSide(ctx, name, worktree, baseCommit, headCommit);
  });
  // Untracked files are read once the commits' side has started: hundreds of reads at once
  // would hold up its start by as long as it runs (the git diffs are the stat's critical path).
  const started = Promise.all([base, head]);
  const working = workingTreeChanges(ctx, name, worktree, head, started);
  // Handled here too, so a failure below does not leave them rejected unobserved; awaited below.
  for (const pending of [working, base, head, committed, started]) pending.catch(() => undefined);
  await there;
  const resolved = await base;
  const side = await committed;
  if (side.mergeBase === null) throw noSharedHistory(record.name, resolved.baseRef);
  const { uncommitted, untracked } = await working;
  const files = [...(await trackedChanges(ctx, worktree, side.mergeBase, side.changes, uncommitted)), ...untracked].sort(byPath);
  return {
    session: name,
    baseRef: resolved.baseRef,
    mergeBase: side.mergeBase,
    ahead: side.ahead,
    behind: side.behind,
    files,
    added: files.reduce((sum, file) => sum + file.added, 0),
    removed: files.reduce((sum, file) => sum + file.removed, 0),
  };
}

async function hunksOf(ctx: Context, at: { worktree: string; mergeBase: string }, file: DiffFile): Promise<FileDiff> {
  if (file.binary) return { path: file.path, binary: true, diff: "" };
  if (file.status === "untracked") return { path: file.path, binary: false, diff: await ctx.git.diffUntracked(at.worktree, file.path) };
  const paths = file.oldPath === null ? [file.path] : [file.oldPath, file.path];
  return { path: file.path, binary: false, diff: await ctx.git.diffSince(at.worktree, at.mergeBase, paths) };
}

/** The stat and every file's diff (a binary file's empty), in the stat's order: what `csm diff` prints. */
export async function diffWithFiles(ctx: Context, name: string): Promise<{ stat: DiffStat; files: FileDiff[] }> {
  const stat = await diffStat(ctx, name);
  const at = { worktree: (await sessionWithWorktree(ctx, name)).worktree, mergeBase: stat.mergeBase };
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
  // Which paths changed needs no line counts; only the one file asked for is counted (binary or not).
  const [tracked, untracked] = await Promise.all([ctx.git.changedPathsSince(at.worktree, at.mergeBase), ctx.git.untrackedFiles(at.worktree)]);
  const listed = tracked.find((changed) => changed.path === path);
  const paths = listed ? (listed.oldPath === null ? [path] : [listed.oldPath, path]) : [];
  const counted = listed ? (await ctx.git.changedSince(at.worktree, at.mergeBase, paths)).find((changed) => changed.path === path) : undefined;
  const file = counted ?? (untracked.includes(path) ? await untrackedEntry(ctx, at.worktree, path) : null);
  if (!file) {
    throw new CsmError("NotFound", `${name} changed no file named ${JSON.stringify(path)}; see \`csm diff ${name} --stat\``, { data: { what: "changed file", name: path } });
  }
  return hunksOf(ctx, at, file);
}
