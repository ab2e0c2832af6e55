import { join } from "node:path";
import type { Context } from "../context.ts";
import { WORKTREE_INCLUDE } from "./worktree-include.ts";

// Files csm copied into a new worktree (`.worktreeinclude`, a project's copyFiles) are ones
// git ignores, such as .env: `git status` never shows a change to them, yet removing the
// worktree removes what claude or a person wrote there. These are the ones that now differ
// from the repository's copy (or that only the worktree has), which kill counts as work.

/** The copied (ignored) files of `worktree` that differ from `repo`'s, relative to the worktree. */
export async function changedCopies(ctx: Context, repo: string, worktree: string, copyFiles: readonly string[]): Promise<string[]> {
  const files = ctx.host.files;
  const candidates = new Set(copyFiles);
  const patterns = join(repo, WORKTREE_INCLUDE);
  if (await files.exists(patterns)) for (const path of await ctx.git.ignoredFilesMatching(worktree, patterns)) candidates.add(path);
  const changed: string[] = [];
  for (const path of [...candidates].sort()) {
    // A directory, or a file that is gone: nothing of it is read, so nothing is said.
    const mine = await files.read(join(worktree, path)).catch(() => null);
    if (mine === null) continue;
    const theirs = await files.read(join(repo, path)).catch(() => null);
    if (mine !== theirs) changed.push(path);
  }
  return changed;
}
