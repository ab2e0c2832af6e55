import type { ChangedPath } from "../../adapters/git-diff-format.ts";

// The working tree against the merge base, put together from two cheaper diffs: the
// commits (merge base to HEAD, trees only) and the uncommitted work (HEAD to the working
// tree). Per path that is exact when only one side touched it. Where both did, and for
// rename detection that could pair a file of one side with a file of the other, the paths
// involved are counted again against the merge base, in one call limited to them.

const pathsOf = (entry: ChangedPath) => (entry.oldPath === null ? [entry.path] : [entry.oldPath, entry.path]);

/** Added, deleted or renamed: a file rename detection may pair with another. */
const moves = (entry: ChangedPath) => entry.status === "added" || entry.status === "deleted" || entry.status === "renamed";

/**
 * The paths whose entries must come from a diff against the merge base itself, sorted; none
 * when the two sides touched different paths and at most one side added or deleted files.
 */
export function pathsToRecount(committed: readonly ChangedPath[], uncommitted: readonly ChangedPath[]): string[] {
  const committedPaths = new Set(committed.flatMap(pathsOf));
  const both = new Set(uncommitted.flatMap(pathsOf).filter((path) => committedPaths.has(path)));
  const involved = [...committed, ...uncommitted].filter((entry) => pathsOf(entry).some((path) => both.has(path)));
  // git pairs renames among every file added or deleted against the merge base: when
  // such a file may come from either side, all of them are diffed together, as git would.
  const crossMoves = involved.some(moves) || (committed.some(moves) && uncommitted.some(moves));
  const recount = new Set(involved.flatMap(pathsOf));
  if (crossMoves) for (const entry of [...committed, ...uncommitted].filter(moves)) for (const path of pathsOf(entry)) recount.add(path);
  return [...recount].sort();
}

/** Both sides' entries, those touching a recounted path replaced by `recounted` (git's entries for exactly those paths). */
export function combineChanges(
  committed: readonly ChangedPath[],
  uncommitted: readonly ChangedPath[],
  recount: readonly string[],
  recounted: readonly ChangedPath[],
): ChangedPath[] {
  const replaced = new Set(recount);
  const kept = [...committed, ...uncommitted].filter((entry) => !pathsOf(entry).some((path) => replaced.has(path)));
  return [...kept, ...recounted];
}
