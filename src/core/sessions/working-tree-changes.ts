import { join } from "node:path";
import { countLines, looksBinary, type ChangedPath } from "../../adapters/git-diff-format.ts";
import type { FileStamp } from "../../host/runner.ts";
import { mapPooled } from "../../shared/map-pooled.ts";
import type { Context } from "../context.ts";
import type { DiffFile } from "./diff-types.ts";
import { parseTrackedStatus, planWorkingTree, RACY_MS, type CountedTree } from "./working-tree-plan.ts";

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
    return entry && typeof entry.head === "string" && Array.isArray(entry.changes) && entry.status && entry.stamps && entry.untracked ? entry : null;
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

const trusted = (stamp: FileStamp | null, countedAt: number) => stamp !== null && stamp.changedMs < countedAt - RACY_MS;

/** Untracked files counted, each read only when its stamp is not the one it was counted with; and how many were read. */
async function countUntracked(ctx: Context, worktree: string, paths: string[], stamps: (FileStamp | null)[], last: Entry | null): Promise<{ files: DiffFile[]; read: number }> {
  let read = 0;
  const files = await mapPooled(paths.keys().toArray(), READ_CONCURRENCY, async (i) => {
    const path = paths[i]!;
    const known = last?.untracked[path];
    const stamp = stamps[i] ?? null;
    if (known && stamp && known.key === stamp.key && trusted(stamp, last!.countedAt)) {
      return { path, oldPath: null, status: "untracked", binary: known.binary, added: known.added, removed: 0 } satisfies DiffFile;
    }
    read += 1;
    return untrackedEntry(ctx, worktree, path);
  });
  return { files, read };
}

/**
 * The working tree against HEAD (`head`: its commit id, resolved by the caller) and the
 * untracked files, read only once `readUntracked` settles (reads at once would hold up the
 * start of the commits' diff). git is asked only about what changed since the last count.
 */
export async function workingTreeChanges(ctx: Context, session: string, worktree: string, head: Promise<string | null>, readUntracked: Promise<unknown>): Promise<WorkingTreeChanges> {
  const countedAt = Date.now();
  const status = ctx.git.trackedStatus(worktree);
  const untrackedPaths = ctx.git.untrackedFiles(worktree);
  // Observed now, so a worktree that is gone (the caller says so) leaves no rejection unhandled; awaited below.
  for (const pending of [status, untrackedPaths]) pending.catch(() => undefined);
  const last = await readEntry(ctx, session);
  // Nothing to build on: the whole working tree is diffed at once, as soon as can be.
  let whole = last ? null : ctx.git.uncommitted(worktree);
  whole?.catch(() => undefined);
  const headCommit = await head;
  if (!whole && (headCommit === null || last!.head !== headCommit)) whole = ctx.git.uncommitted(worktree);
  const [statusNow, untracked] = [parseTrackedStatus(await status), await untrackedPaths];
  const tracked = Object.keys(statusNow);
  const stamped = await ctx.host.files.stamps([...tracked, ...untracked].map((path) => join(worktree, path)));
  const stamps = Object.fromEntries(tracked.map((path, i) => [path, stamped[i]!]));

  let changes: ChangedPath[];
  const plan = whole ? null : planWorkingTree(last, headCommit!, statusNow, stamps);
  if (plan?.kind === "reuse") changes = last!.changes;
  else if (plan?.kind === "recount" && plan.paths.reduce((chars, path) => chars + path.length, 0) <= RECOUNT_LIMIT_CHARS) {
    const recounted = new Set(plan.paths);
    changes = [...last!.changes.filter((entry) => !recounted.has(entry.path)), ...(await ctx.git.uncommitted(worktree, plan.paths))];
  } else changes = await (whole ?? ctx.git.uncommitted(worktree));

  await readUntracked.catch(() => undefined);
  const { files: untrackedFiles, read } = await countUntracked(ctx, worktree, untracked, stamped.slice(tracked.length), last);

  const untrackedGone = last !== null && Object.keys(last.untracked).length !== untracked.length;
  if (headCommit !== null && (plan?.kind !== "reuse" || read > 0 || untrackedGone)) {
    const entry: Entry = {
      head: headCommit,
      countedAt,
      status: statusNow,
      stamps: Object.fromEntries(tracked.flatMap((path) => (stamps[path] ? [[path, stamps[path]!.key]] : []))),
      changes,
      untracked: Object.fromEntries(
        untrackedFiles.flatMap((file, i) => {
          const stamp = stamped[tracked.length + i];
          return stamp ? [[file.path, { key: stamp.key, binary: file.binary, added: file.added }]] : [];
        }),
      ),
    };
    // A cache: a failure to keep it costs the next stat its git calls, nothing else.
    await ctx.host.files
      .mkdirp(join(ctx.settings.paths.stateDir, "diff-cache"), 0o700)
      .then(() => ctx.host.files.writeAtomic(workingTreeCachePath(ctx, session), JSON.stringify(entry), 0o600))
      .catch(() => undefined);
  }
  return { uncommitted: changes, untracked: untrackedFiles };
}
