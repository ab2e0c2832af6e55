import { CsmError, notFoundError, usageError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import type { Context } from "../context.ts";
import { withRepoLock } from "./repo-lock.ts";

// Lands a session's branch on a target branch (by default the branch it started from). The
// merge happens in the main repository's own checkout of the target, and only when that
// checkout is clean and on the target: csm never switches branches or stashes for you. A
// conflict is undone at once, so both branches and the checkout are as they were.

export type MergeMode = "merge" | "squash" | "rebase";

export interface MergeRequest {
  name: string;
  mode?: MergeMode;
  /** The branch to land on; default: the session's base, when that is a branch. */
  into?: string;
  /** The merge commit's or squash commit's message. */
  message?: string;
}

export interface MergeResult {
  name: string;
  mode: MergeMode;
  branch: string;
  target: string;
  /** The session's commits that were not yet on the target, as "abc1234 subject". */
  commits: string[];
  /** The target's commit afterwards. */
  head: string;
  /** Nothing was merged: the branch was already in the target. */
  upToDate: boolean;
  /** The target moved to the branch's commit without a new commit of its own. */
  fastForward: boolean;
}

/** The session's record, with what merge and push need from it: a branch of its own in a repository. */
export function sessionWithBranch(ctx: Context, name: string, doing: string): SessionRecord & { repo: string; branch: string } {
  const record = ctx.sessions().get(ctx.host.hostName, checkName("session", name));
  if (!record) throw notFoundError("session", name, "see `csm list`");
  if (!record.repo || !record.branch || !record.createdWorktree) {
    throw new CsmError("NoBranch", `${name} works in the repository itself (--no-worktree): it has no branch of its own to ${doing}`, { data: { name } });
  }
  return record as SessionRecord & { repo: string; branch: string };
}

/** Refuses uncommitted work in the session's worktree: it would be left out of what lands. */
export async function requireCommitted(ctx: Context, record: SessionRecord, doing: string): Promise<void> {
  if (!(await ctx.host.files.exists(record.worktree))) return;
  const files = await ctx.git.uncommittedFiles(record.worktree);
  if (files.length === 0) return;
  throw new CsmError(
    "UncommittedWork",
    [`refusing to ${doing} ${record.name}: its worktree has uncommitted changes (commit them, or tell claude to)`, ...files.map((file) => `  ${file}`)].join("\n"),
    { data: { name: record.name, files } },
  );
}

async function chooseTarget(ctx: Context, record: SessionRecord & { repo: string }, into: string | undefined): Promise<string> {
  if (into !== undefined) {
    if (!(await ctx.git.isValidBranchName(record.repo, into)) || into.startsWith("-")) throw usageError(`--into ${JSON.stringify(into)} is not a valid branch name`);
    if (!(await ctx.git.branchExists(record.repo, into))) {
      throw new CsmError("TargetNotFound", `no branch named ${JSON.stringify(into)} in ${record.repo}`, { data: { target: into } });
    }
    return into;
  }
  const base = record.baseRef;
  if (base && (await ctx.git.isValidBranchName(record.repo, base)) && (await ctx.git.branchExists(record.repo, base))) return base;
  throw usageError(`${record.name} started from ${base ? JSON.stringify(base) : "a commit"}, which is not a local branch: name the branch to merge into with --into BRANCH`);
}

/** The main checkout must be on the target with nothing uncommitted: the merge happens there. */
async function requireCleanTarget(ctx: Context, repo: string, target: string): Promise<void> {
  const current = await ctx.git.currentBranch(repo);
  if (current !== target) {
    throw new CsmError("TargetNotClean", `the repo ${repo} is on ${current ?? "a detached HEAD"}, not ${target}: check out ${target} there first`, {
      data: { repo, target, current },
    });
  }
  const dirty = await ctx.git.uncommittedFiles(repo);
  if (dirty.length > 0) {
    throw new CsmError(
      "TargetNotClean",
      [`refusing to merge into ${target}: ${repo} has uncommitted changes (commit or stash them first)`, ...dirty.map((file) => `  ${file}`)].join("\n"),
      { data: { repo, target, files: dirty } },
    );
  }
}

function conflictError(record: SessionRecord, target: string, mode: MergeMode, files: string[]): CsmError {
  const how = mode === "rebase" ? `rebasing ${record.branch} onto ${target}` : `merging ${record.branch} into ${target}`;
  return new CsmError(
    "MergeConflict",
    [`${how} conflicts; nothing was changed (resolve it in ${record.name}'s worktree, e.g. merge ${target} there, then try again):`, ...files.map((file) => `  ${file}`)].join("\n"),
    { data: { name: record.name, target, files } },
  );
}

/**
 * Undoes a stopped merge or rebase. Without conflicts git may have stopped before it began
 * (nothing to undo, so the undo itself fails): only then is its failure no news.
 */
async function undo(conflicts: string[], abort: () => Promise<void>): Promise<void> {
  if (conflicts.length > 0) await abort();
  else await abort().catch(() => undefined);
}

function gitFailed(record: SessionRecord, what: string, output: string): CsmError {
  const lines = output.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("hint:"));
  const why = lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1) ?? "no reason given";
  return new CsmError("MergeFailed", `${what} failed, and was undone: ${why}`, { data: { name: record.name } });
}

export async function mergeSession(ctx: Context, request: MergeRequest): Promise<MergeResult> {
  const mode = request.mode ?? "merge";
  const record = sessionWithBranch(ctx, request.name, "merge");
  const { repo, branch } = record;
  const target = await chooseTarget(ctx, record, request.into);
  if (target === branch) throw usageError(`${branch} is ${record.name}'s own branch; name another with --into`);
  if (!(await ctx.git.branchExists(repo, branch))) throw new CsmError("NoBranch", `${record.name}'s branch ${branch} is gone from ${repo}`, { data: { name: record.name } });
  await requireCommitted(ctx, record, "merge");

  return withRepoLock(ctx, repo, async () => {
    await requireCleanTarget(ctx, repo, target);
    const branchRef = `refs/heads/${branch}`;
    const targetRef = `refs/heads/${target}`;
    const commits = await ctx.git.commitsBetween(repo, targetRef, branchRef);
    const before = (await ctx.git.resolveCommit(repo, targetRef))!;
    const result: MergeResult = { name: record.name, mode, branch, target, commits, head: before, upToDate: commits.length === 0, fastForward: false };
    if (result.upToDate) return result;

    if (mode === "rebase") {
      if (!(await ctx.host.files.exists(record.worktree)) || (await ctx.git.currentBranch(record.worktree)) !== branch) {
        throw new CsmError("NoBranch", `${record.name}'s worktree ${record.worktree} does not have ${branch} checked out, so it cannot be rebased there`, { data: { name: record.name } });
      }
      const rebased = await ctx.git.rebaseOnto(record.worktree, targetRef);
      if (rebased.code !== 0) {
        const files = await ctx.git.conflictedFiles(record.worktree);
        await undo(files, () => ctx.git.abortRebase(record.worktree));
        throw files.length > 0 ? conflictError(record, target, mode, files) : gitFailed(record, `git rebase in ${record.worktree}`, rebased.stderr);
      }
    }

    const merged = await ctx.git.mergeInto(repo, branchRef, mode === "rebase" ? "ff-only" : mode, mode === "merge" ? request.message : undefined);
    if (merged.code !== 0) {
      // A conflict, or a hook that refused the merge commit (which leaves the merge staged):
      // either way the checkout goes back to how it was.
      const files = await ctx.git.conflictedFiles(repo);
      await undo(files, () => ctx.git.abortMerge(repo, mode !== "merge"));
      throw files.length > 0 ? conflictError(record, target, mode, files) : gitFailed(record, `git merge in ${repo}`, merged.stderr || merged.stdout);
    }
    if (mode === "squash") {
      // Its work may be in the target already (squashed before): then there is nothing to
      // commit, and the message git prepared would fill in the person's next commit.
      if (!(await ctx.git.hasStagedChanges(repo))) {
        await ctx.host.files.remove(await ctx.git.gitPath(repo, "SQUASH_MSG"));
        return { ...result, upToDate: true };
      }
      const subject = request.message ?? `Squash-merge csm session ${record.name} (${branch})`;
      await ctx.git.commitStaged(repo, request.message !== undefined ? [subject] : [subject, commits.join("\n")]).catch(async (error: unknown) => {
        // A refusing commit hook, say: the checkout goes back to how it was.
        await ctx.git.abortMerge(repo, true);
        await ctx.host.files.remove(await ctx.git.gitPath(repo, "SQUASH_MSG"));
        throw error;
      });
    }
    const after = (await ctx.git.resolveCommit(repo, targetRef))!;
    const tip = (await ctx.git.resolveCommit(repo, branchRef))!;
    return { ...result, head: after, fastForward: mode !== "squash" && after === tip };
  });
}
