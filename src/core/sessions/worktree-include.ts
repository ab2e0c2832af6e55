import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Context } from "../context.ts";

// `.worktreeinclude` at the repository's top (gitignore syntax, the file Claude Code and
// other worktree tools read) names ignored files every new worktree should have too: .env,
// local config. git itself matches the patterns, so nesting, `**` and `!` mean exactly
// what they mean in .gitignore. Only files the repository also ignores are copied: a
// tracked or merely untracked file would show as a change in the worktree.

export const WORKTREE_INCLUDE = ".worktreeinclude";

/** Copies the matched files into `worktree` at the same relative paths; returns warnings. */
export async function copyWorktreeIncludes(ctx: Context, repo: string, worktree: string): Promise<string[]> {
  const files = ctx.host.files;
  const patternFile = join(repo, WORKTREE_INCLUDE);
  if (!(await files.exists(patternFile))) return [];
  const matched = await ctx.git.ignoredFilesMatching(repo, patternFile);
  if (matched.length === 0) return [];
  const realRepo = (await files.realpath(repo)) ?? repo;
  const realWorktree = (await files.realpath(worktree)) ?? worktree;
  const warnings: string[] = [];
  for (const path of matched) {
    const source = resolve(repo, path);
    const target = resolve(worktree, path);
    // git lists paths inside the repository, but a symlink on the way can still lead out
    // of it (a linked source, or a directory in the worktree's checkout that points
    // elsewhere): every resolved end must stay inside its tree.
    const realSource = await files.realpath(source);
    const realTargetDir = await nearestExisting(ctx, dirname(target));
    const realTarget = await files.realpath(target);
    if (
      !inside(repo, source) ||
      !inside(worktree, target) ||
      !realSource ||
      !inside(realRepo, realSource) ||
      !realTargetDir ||
      !inside(realWorktree, realTargetDir, true) ||
      (realTarget !== null && !inside(realWorktree, realTarget))
    ) {
      warnings.push(`${WORKTREE_INCLUDE}: ${path} leads outside the repository or the worktree; not copied`);
      continue;
    }
    await files.copy(source, target);
  }
  return warnings;
}

/** `path` is below `root` (or `root` itself when `orSelf`). */
function inside(root: string, path: string, orSelf = false): boolean {
  const rel = relative(root, path);
  if (rel === "") return orSelf;
  return rel !== ".." && !rel.startsWith("../") && !isAbsolute(rel);
}

/** The real path of `path` or of its nearest ancestor that exists. */
async function nearestExisting(ctx: Context, path: string): Promise<string | null> {
  for (let at = path; ; at = dirname(at)) {
    const real = await ctx.host.files.realpath(at);
    if (real) return real;
    if (dirname(at) === at) return null;
  }
}
