import { join } from "node:path";
import type { ChangedPath } from "../../adapters/git-diff-format.ts";
import type { Context } from "../context.ts";

// What a session's commits changed since its base depends on two commits only, and does not
// change while they stay: the dashboard's Diff tab and `csm diff --stat` ask again every time
// claude writes a file, while commits come seldom. So the commits' diff is kept per session,
// under the pair of commits it was made from, and git diffs the commits again only when one
// of them moved. It is half of the stat's git work (`bun run bench diff`).

interface Entry {
  base: string;
  head: string;
  changes: ChangedPath[];
}

export const committedDiffCachePath = (ctx: Context, session: string) => join(ctx.settings.paths.stateDir, "diff-cache", `${session}.json`);

/** The commits' diff from `base` to `head` (commit ids), from the session's cache when it holds that pair. */
export async function committedChanges(ctx: Context, session: string, worktree: string, base: string, head: string): Promise<ChangedPath[]> {
  const path = committedDiffCachePath(ctx, session);
  try {
    const entry = JSON.parse((await ctx.host.files.read(path)) ?? "null") as Entry | null;
    if (entry && entry.base === base && entry.head === head && Array.isArray(entry.changes)) return entry.changes;
  } catch {
    // Unreadable (half-written by a crash): made again below.
  }
  // The head by its id, not HEAD: a commit landing meanwhile must not be kept under the old id.
  const changes = await ctx.git.committedSince(worktree, base, head);
  // A cache: a failure to keep it costs the next stat its git call, nothing else.
  await ctx.host.files
    .mkdirp(join(ctx.settings.paths.stateDir, "diff-cache"), 0o700)
    .then(() => ctx.host.files.writeAtomic(path, JSON.stringify({ base, head, changes } satisfies Entry), 0o600))
    .catch(() => undefined);
  return changes;
}
