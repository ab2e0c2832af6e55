import { CsmError, usageError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";
import { withRepoLock } from "./repo-lock.ts";
import type { Rollback } from "./rollback.ts";

// What a new worktree starts from: a new csm branch off a base (the default), an existing
// branch (--branch, local or only on a remote, as `git checkout` finds it), or a pull /
// merge request fetched from a remote (--pr). Which branch csm made decides what
// `kill --delete-branch` may delete, so it is recorded.

export interface StartFrom {
  base?: string;
  branch?: string;
  pr?: number;
  /** The remote --pr fetches from (default origin). */
  remote?: string;
}

export interface WorktreeStart {
  branch: string;
  /** csm made this local branch (a new one, a tracking one, a fetched PR). */
  createdBranch: boolean;
  baseRef: string | null;
  baseCommit: string;
  /** `git worktree add` for this start (the caller holds the repository lock). */
  add(worktree: string): Promise<void>;
}

/** The largest request number taken: nine digits, as the CLI reads them. */
const MAX_PULL_REQUEST = 999_999_999;

/** A --pr value: a positive integer, nothing else (it becomes part of a ref). */
export function parsePullRequestNumber(value: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw usageError(`--pr must be a positive integer (got ${JSON.stringify(value)})`, { field: "pr" });
  return Number(value);
}

/** How a field is named to whoever gave it: a CLI flag (`--pr`) or an API body field (`pr`). */
export type StartFieldSpelling = (field: keyof StartFrom) => string;
const asFlag: StartFieldSpelling = (field) => `--${field}`;

/** Refuses combinations that do not mean anything together; the error's data names the field. */
export function checkStartFrom(from: StartFrom, noWorktree: boolean | undefined, spell: StartFieldSpelling = asFlag): void {
  const given = (["branch", "pr"] as const).filter((field) => from[field] !== undefined);
  const refuse = (field: keyof StartFrom, message: string) => usageError(message, { field });
  if (given.length > 1) throw refuse("branch", `create: give ${spell("branch")} or ${spell("pr")}, not both`);
  const [one] = given;
  if (one && noWorktree) throw refuse(one, `create: ${spell(one)} needs a worktree; it cannot go with --no-worktree`);
  if (one && from.base !== undefined) throw refuse(one, `create: ${spell(one)} starts from that branch's own commit; leave out ${spell("base")}`);
  if (from.remote !== undefined && from.pr === undefined) throw refuse("remote", `create: ${spell("remote")} goes with ${spell("pr")}`);
  if (from.pr !== undefined && (!Number.isSafeInteger(from.pr) || from.pr < 1 || from.pr > MAX_PULL_REQUEST)) {
    throw refuse("pr", `${spell("pr")} must be a positive integer of at most nine digits (got ${from.pr})`);
  }
}

/** Checks a start that needs no change to the repository; a --pr start fetches (undone on failure). */
export async function planWorktreeStart(ctx: Context, repo: string, name: string, from: StartFrom, now: Date, rollback: Rollback): Promise<WorktreeStart> {
  if (from.branch !== undefined) return existingBranch(ctx, repo, from.branch);
  if (from.pr !== undefined) return pullRequest(ctx, repo, from.pr, from.remote ?? "origin", rollback);
  return newBranch(ctx, repo, name, from.base, now);
}

/** `csm/<name>-YYYYMMDD-HHMMSS` in UTC: unique per second, sortable, valid as a ref. */
export function branchName(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `csm/${name}-${stamp}`;
}

async function newBranch(ctx: Context, repo: string, name: string, base: string | undefined, now: Date): Promise<WorktreeStart> {
  const baseCommit = await ctx.git.resolveCommit(repo, base ?? "HEAD");
  if (!baseCommit) {
    throw new CsmError("BaseNotFound", `base ${JSON.stringify(base ?? "HEAD")} names no commit in ${repo} (check the branch, tag or commit)`);
  }
  // A session of the same name made, killed (its branch kept) and made again within the
  // second would get the same name: the next free `-2`, `-3`… instead.
  const stamped = branchName(name, now);
  let branch = stamped;
  for (let n = 2; await ctx.git.branchExists(repo, branch); n++) branch = `${stamped}-${n}`;
  return {
    branch,
    createdBranch: true,
    baseRef: base ?? (await ctx.git.currentBranch(repo)) ?? baseCommit,
    baseCommit,
    add: (worktree) => ctx.git.addWorktree(repo, worktree, branch, baseCommit),
  };
}

async function existingBranch(ctx: Context, repo: string, branch: string): Promise<WorktreeStart> {
  await checkBranchName(ctx, repo, branch);
  if (await ctx.git.branchExists(repo, branch)) {
    await refuseCheckedOut(ctx, repo, branch);
    return {
      branch,
      createdBranch: false,
      // The session's own work is what comes after the branch's tip of now.
      baseRef: null,
      baseCommit: (await ctx.git.resolveCommit(repo, `refs/heads/${branch}`))!,
      add: (worktree) => ctx.git.addWorktreeOnBranch(repo, worktree, branch),
    };
  }
  const remoteRef = await findOnRemote(ctx, repo, branch);
  return {
    branch,
    // csm makes the local tracking branch; what it holds is on the remote already.
    createdBranch: true,
    baseRef: null,
    baseCommit: (await ctx.git.resolveCommit(repo, remoteRef))!,
    add: (worktree) => ctx.git.addWorktreeTracking(repo, worktree, branch, remoteRef),
  };
}

async function pullRequest(ctx: Context, repo: string, number: number, remote: string, rollback: Rollback): Promise<WorktreeStart> {
  const remotes = await ctx.git.remotes(repo);
  if (!remotes.includes(remote)) throw usageError(`create: ${repo} has no remote named ${JSON.stringify(remote)} (known: ${remotes.join(", ") || "none"})`);
  const branch = `pr/${number}`;
  if (await ctx.git.branchExists(repo, branch)) {
    await refuseCheckedOut(ctx, repo, branch);
    throw new CsmError("BranchExists", `a branch ${branch} already exists in ${repo}: use --branch ${branch} to work on it, or delete it (git branch -D ${branch}) to fetch the request again`, {
      data: { branch },
    });
  }
  // GitHub keeps pull requests under refs/pull/, GitLab merge requests under refs/merge-requests/.
  const refs = [`refs/pull/${number}/head`, `refs/merge-requests/${number}/head`];
  const fetched = await withRepoLock(ctx, repo, async () => {
    for (const ref of refs) {
      const result = await ctx.git.fetchIntoBranch(repo, remote, ref, branch);
      if (result.code === 0) return ref;
    }
    return null;
  });
  if (!fetched) {
    throw new CsmError("PullRequestNotFound", `${remote} has no pull or merge request ${number} (looked for ${refs.join(" and ")}); check the number and the remote`, {
      data: { number, remote },
    });
  }
  rollback.onFailure(`delete branch ${branch}`, () =>
    withRepoLock(ctx, repo, async () => {
      if (await ctx.git.branchExists(repo, branch)) await ctx.git.deleteBranch(repo, branch);
    }),
  );
  return {
    branch,
    createdBranch: true,
    baseRef: null,
    baseCommit: (await ctx.git.resolveCommit(repo, `refs/heads/${branch}`))!,
    add: (worktree) => ctx.git.addWorktreeOnBranch(repo, worktree, branch),
  };
}

/** A user's branch name is data: git's own rules decide, and nothing that reads as an option passes. */
async function checkBranchName(ctx: Context, repo: string, branch: string): Promise<void> {
  if (branch === "" || branch.startsWith("-") || !(await ctx.git.isValidBranchName(repo, branch))) {
    throw usageError(`branch ${JSON.stringify(branch)} is not a valid branch name (see \`git check-ref-format --branch\`)`, { branch, field: "branch" });
  }
}

/** git allows a branch in one worktree only; say which one has it. */
async function refuseCheckedOut(ctx: Context, repo: string, branch: string): Promise<void> {
  const holder = (await ctx.git.listWorktrees(repo)).find((entry) => entry.branch === `refs/heads/${branch}`);
  if (holder) {
    throw new CsmError("BranchCheckedOut", `branch ${branch} is checked out in ${holder.path}; a branch can be in one worktree only (switch that one away, or pick another branch)`, {
      data: { branch, worktree: holder.path },
    });
  }
}

/** The remote-tracking ref `git checkout BRANCH` would start from: the one remote that has it (origin when several do). */
async function findOnRemote(ctx: Context, repo: string, branch: string): Promise<string> {
  const having: string[] = [];
  for (const remote of await ctx.git.remotes(repo)) {
    if (await ctx.git.refExists(repo, `refs/remotes/${remote}/${branch}`)) having.push(remote);
  }
  if (having.length === 0) {
    throw new CsmError("BranchNotFound", `no branch ${branch} in ${repo}, locally or on a remote (\`git fetch\` first if it is new)`, { data: { branch } });
  }
  const remote = having.length === 1 ? having[0]! : having.includes("origin") ? "origin" : null;
  if (!remote) {
    throw usageError(`branch ${branch} is on several remotes (${having.join(", ")}); create the local branch first (git branch --track ${branch} REMOTE/${branch})`);
  }
  return `refs/remotes/${remote}/${branch}`;
}
