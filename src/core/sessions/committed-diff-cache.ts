import { join } from "node:path";
import type { ChangedPath } from "../../adapters/git-diff-format.ts";
import type { Context } from "../context.ts";

// What a session's commits changed since its base depends on two commits only, and does not
// change while they stay: the dashboard's Diff tab and `csm diff --stat` ask again every time
// claude writes a file, while commits come seldom. So the commits' side of the stat (their
// diff, the merge base, how far ahead and behind) is kept per session, under the pair of
// commits it was made from, and git is asked again only when one of them moved. The diff is
// half of the stat's git work, the other two a git process each (`bun run bench diff`).

export interface CommittedSide {
  changes: ChangedPath[];
  /** null: the two share no history. */
  mergeBase: string | null;
  ahead: number;
  behind: number;
}

interface Entry extends CommittedSide {
  base: string;
  head: string;
}

export const committedDiffCachePath = (ctx: Context, session: string) => join(ctx.settings.paths.stateDir, "diff-cache", `${session}.json`);

const isEntry = (value: unknown): value is Entry => {
  const entry = value as Entry | null;
  return !!entry && Array.isArray(entry.changes) && typeof entry.mergeBase === "string" && Number.isInteger(entry.ahead) && Number.isInteger(entry.behind);
};

/** The commits' side from `base` to `head` (commit ids), from the session's cache when it holds that pair. */
export async function committedSide(ctx: Context, session: string, worktree: string, base: string, head: string): Promise<CommittedSide> {
  const path = committedDiffCachePath(ctx, session);
  try {
    const entry = JSON.parse((await ctx.host.files.read(path)) ?? "null") as unknown;
    if (isEntry(entry) && entry.base === base && entry.head === head) return entry;
  } catch {
    // Unreadable (half-written by a crash): made again below.
  }
  // The head by its id, not HEAD: a commit landing meanwhile must not be kept under the old id.
  // The diff fails where the two share no history: that is the caller's to say, so the
  // merge base is looked at before the diff's failure is.
  const diff = ctx.git.committedSince(worktree, base, head);
  diff.catch(() => undefined);
  const [mergeBase, counts] = await Promise.all([ctx.git.mergeBase(worktree, base, head), ctx.git.aheadBehind(worktree, base, head)]);
  // Nothing in common is an error the caller reports: not kept.
  if (mergeBase === null) return { changes: [], mergeBase, ...counts };
  const side = { changes: await diff, mergeBase, ...counts };
  // A cache: a failure to keep it costs the next stat its git calls, nothing else.
  await ctx.host.files
    .mkdirp(join(ctx.settings.paths.stateDir, "diff-cache"), 0o700)
    .then(() => ctx.host.files.writeAtomic(path, JSON.stringify({ base, head, ...side } satisfies Entry), 0o600))
    .catch(() => undefined);
  return side;
}
