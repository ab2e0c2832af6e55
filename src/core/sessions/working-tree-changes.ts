import { join } from "node:path";
import { countLines, looksBinary, type ChangedPath } from "../../adapters/git-diff-format.ts";
import type { FileStamp } from "../../host/runner.ts";
import { mapPooled } from "../../shared/map-pooled.ts";
import type { Context } from "../context.ts";
import type { DiffFile } from "./diff-types.ts";
import { gitEnvironmentKey, gitSettingsFiles, type GitDirs } from "./git-settings-files.ts";
import { isAttributesFile, own, parseWorkingTreeStatus, planWorkingTree, RACY_MS, UNTRACKED, type CountedTree } from "./working-tree-plan.ts";

// The uncommitted half of a session's diff: tracked files against HEAD, and the untracked
// files with their lines counted. The dashboard's Diff tab asks again every time claude
// writes a file, and a diff of the whole working tree is the stat's dearest git call
// (`bun run bench diff`). So what was counted is kept per session with `git status` and
// the files' stamps as they were; next time git counts only the files that changed since,
// or nothing at all (see working-tree-plan.ts for when the old count still holds).

/** Untracked files read at once: enough to hide latency, few enough to stay clear of the fd limit. */
const READ_CONCURRENCY = 32;
/** Paths counted again in one call at most (their total length): well inside any argv limit. */
const RECOUNT_LIMIT_CHARS = 64 * 1024;

interface Entry extends CountedTree {
  /** Where git keeps this worktree's config and attributes: asked once. */
  dirs: GitDirs;
  changes: ChangedPath[];
  /** path → an untracked file's stamp and count. */
  untracked: Record<string, { key: string; binary: boolean; added: number }>;
}

export interface WorkingTreeChanges {
  uncommitted: ChangedPath[];
  untracked: DiffFile[];
}

export const workingTreeCachePath = (ctx: Context, session: string) => join(ctx.settings.paths.stateDir, "diff-cache", `${session}.work.json`);

async function readEntry(ctx: Context, session: string): Promise<Entry | null> {
  try {
    const entry = JSON.parse((await ctx.host.files.read(workingTreeCachePath(ctx, session))) ?? "null") as Entry | null;
    return entry && typeof entry.head === "string" && Array.isArray(entry.changes) && entry.status && entry.stamps && entry.settings && entry.dirs && entry.untracked ? entry : null;
  } catch {
    // Unreadable (half-written by a crash): counted again.
    return null;
  }
}

/** An untracked file counted the way numstat counts a new file. Unreadable (a nested repository's directory): named only. */
export async function untrackedEntry(ctx: Context, worktree: string, path: string): Promise<DiffFile> {
  const content = await ctx.host.files.read(join(worktree, path)).catch(() => null);
  const binary = content === null || looksBinary(content);
  return { path, oldPath: null, status: "untracked", binary, added: binary ? 0 : countLines(content), removed: 0 };
}

async function stampsByPath(ctx: Context, paths: string[]): Promise<Map<string, FileStamp | null>> {
  const stamps = await ctx.host.files.stamps(paths);
  return new Map(paths.map((path, i) => [path, stamps[i] ?? null]));
}

const trusted = (stamp: FileStamp | null, countedAt: number) => stamp !== null && stamp.changedMs < countedAt - RACY_MS;

/** Untracked files counted, each read only when its stamp is not the one it was counted with; and how many were read. */
async function countUntracked(ctx: Context, worktree: string, paths: string[], stamps: (FileStamp | null)[], last: Entry | null): Promise<{ files: DiffFile[]; read: number }> {
  const files = new Array<DiffFile>(paths.length);
  const toRead: number[] = [];
  for (const [i, path] of paths.entries()) {
    const known = last ? own(last.untracked, path) : undefined;
    const stamp = stamps[i] ?? null;
    // A symlink is stamped itself but read through: what it points to may change unseen.
    if (known && stamp && stamp.kind !== "symlink" && known.key === stamp.key && trusted(stamp, last!.countedAt)) {
      files[i] = { path, oldPath: null, status: "untracked", binary: known.binary, added: known.added, removed: 0 };
    } else toRead.push(i);
  }
  // Only the files to read wait on promises: a thousand known ones cost a loop, not a thousand awaits.
  await mapPooled(toRead, READ_CONCURRENCY, async (i) => {
    files[i] = await untrackedEntry(ctx, worktree, paths[i]!);
  });
  return { files, read: toRead.length };
}

/**
 * The working tree against HEAD (`head`: its commit id, resolved by the caller) and the
 * untracked files, read only once `readUntracked` settles (reads at once would hold up the
 * start of the commits' diff). git is asked only about what changed since the last count.
 */
export async function workingTreeChanges(ctx: Context, session: string, worktree: string, head: Promise<string | null>, readUntracked: Promise<unknown>): Promise<WorkingTreeChanges> {
  const countedAt = Date.now();
  const status = ctx.git.workingTreeStatus(worktree);
  // Observed at once, so a worktree that is gone (the caller says so) leaves no rejection unhandled; awaited below.
  const observe = (pending: Promise<unknown>) => void pending.catch(() => undefined);
  observe(status);
  const last = await readEntry(ctx, session);
  const dirs = last ? Promise.resolve(last.dirs) : ctx.git.gitDirs(worktree);
  observe(dirs);
  // Nothing to build on: the whole working tree is diffed at once, as soon as can be.
  let whole = last ? null : ctx.git.uncommitted(worktree);
  if (whole) observe(whole);
  const headCommit = await head;
  if (!whole && (headCommit === null || last!.head !== headCommit)) observe((whole = ctx.git.uncommitted(worktree)));
  // While git takes the status, the files the last count knew are stamped: they are most of
  // those it lists. A stamp taken before git looked errs one way only: a file changed since
  // shows the stamp it had, so the next stat finds the change and counts the file again.
  const early = last ? await stampsByPath(ctx, [...Object.keys(last.status), ...Object.keys(last.untracked)].map((path) => join(worktree, path)).concat(gitSettingsFiles(last.dirs, ctx.env))) : new Map();
  const { tracked: statusNow, untracked } = parseWorkingTreeStatus(await status);
  const gitDirs = await dirs;
  // An untracked .gitattributes changes how tracked files are counted: the plan looks at it like a tracked one.
  const attributes = untracked.filter(isAttributesFile);
  const watched = { ...statusNow, ...Object.fromEntries(attributes.map((path) => [path, UNTRACKED])) };
  const tracked = Object.keys(watched);
  const settingsFiles = gitSettingsFiles(gitDirs, ctx.env);
  const wanted = [...tracked, ...untracked].map((path) => join(worktree, path)).concat(settingsFiles);
  const late = await stampsByPath(ctx, wanted.filter((path) => !early.has(path)));
  const stamped = wanted.map((path) => (early.has(path) ? early.get(path)! : late.get(path)!));
  const stamps = Object.fromEntries(tracked.map((path, i) => [path, stamped[i]!]));
  const settings = {
    ...Object.fromEntries(settingsFiles.map((file, i) => [file, stamped[tracked.length + untracked.length + i]?.key ?? null])),
    "GIT_* variables": gitEnvironmentKey(ctx.env),
  };

  let changes: ChangedPath[];
  const plan = whole ? null : planWorkingTree(last, headCommit!, watched, stamps, settings);
  if (plan?.kind === "reuse") changes = last!.changes;
  else if (plan?.kind === "recount" && plan.paths.reduce((chars, path) => chars + path.length, 0) <= RECOUNT_LIMIT_CHARS) {
    const recounted = new Set(plan.paths);
    changes = [...last!.changes.filter((entry) => !recounted.has(entry.path)), ...(await ctx.git.uncommitted(worktree, plan.paths))];
  } else changes = await (whole ?? ctx.git.uncommitted(worktree));

  await readUntracked.catch(() => undefined);
  const { files: untrackedFiles, read } = await countUntracked(ctx, worktree, untracked, stamped.slice(tracked.length, tracked.length + untracked.length), last);

  const untrackedGone = last !== null && Object.keys(last.untracked).length !== untracked.length;
  if (headCommit === null || (plan?.kind === "reuse" && read === 0 && !untrackedGone)) return { uncommitted: changes, untracked: untrackedFiles };
  // git diffed after git status listed: a file both missed can only be one that changed in
  // between. Such a count is not kept, or the file could stay in it after it changed back.
  const consistent = changes.every((entry) => Object.hasOwn(statusNow, entry.path) && (entry.oldPath === null || Object.hasOwn(statusNow, entry.oldPath)));
  const entry: Entry = {
    head: headCommit,
    countedAt,
    dirs: gitDirs,
    status: watched,
    stamps: Object.fromEntries(tracked.flatMap((path) => (stamps[path] ? [[path, stamps[path]!.key]] : []))),
    settings,
    changes,
    untracked: Object.fromEntries(
      untrackedFiles.flatMap((file, i) => {
        const stamp = stamped[tracked.length + i];
        return stamp ? [[file.path, { key: stamp.key, binary: file.binary, added: file.added }]] : [];
      }),
    ),
  };
  // A cache: a failure to keep it costs the next stat its git calls, nothing else.
  const path = workingTreeCachePath(ctx, session);
  await (consistent ? ctx.host.files.mkdirp(join(ctx.settings.paths.stateDir, "diff-cache"), 0o700).then(() => ctx.host.files.writeAtomic(path, JSON.stringify(entry), 0o600)) : ctx.host.files.remove(path)).catch(() => undefined);
  return { uncommitted: changes, untracked: untrackedFiles };
}
