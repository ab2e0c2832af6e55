// What a session changed against its base: the shapes `csm diff`, the API and the
// dashboard's Diff tab share. The stat comes first and cheaply; a file's hunks only when
// that file is opened, so a session with thousands of changed files stays fast.

export type DiffFileStatus = "added" | "modified" | "deleted" | "renamed" | "untracked" | "type-changed";

export interface DiffFile {
  /** Path in the worktree (the new path of a rename). */
  path: string;
  /** The old path of a rename, else null. */
  oldPath: string | null;
  status: DiffFileStatus;
  /** Binary files are named, never printed; their line counts are 0. */
  binary: boolean;
  added: number;
  removed: number;
}

export interface DiffStat {
  session: string;
  /** The ref the session was made from (its base), and the merge base the diff is taken against. */
  baseRef: string;
  mergeBase: string;
  /** Commits on the session's branch not in the base, and in the base not on the branch. */
  ahead: number;
  behind: number;
  /** Commits, uncommitted changes and untracked files together, one entry per path. */
  files: DiffFile[];
  added: number;
  removed: number;
}

export interface FileDiff {
  path: string;
  binary: boolean;
  /** A unified diff of the file against the merge base (empty for a binary file). */
  diff: string;
}
