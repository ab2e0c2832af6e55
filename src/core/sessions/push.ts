import { CsmError, usageError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";
import { sessionWithBranch } from "./merge.ts";
import { explainPushFailure } from "./push-failure.ts";

// Publishes a session's branch: `git push -u REMOTE BRANCH` in its worktree, so the branch
// tracks the remote from then on (and `csm kill` no longer counts its commits as unsaved).

export interface PushRequest {
  name: string;
  /** A remote configured in the repository; default origin. */
  remote?: string;
}

export interface PushResult {
  name: string;
  branch: string;
  remote: string;
  /** The commit pushed. */
  head: string;
}

export async function pushSession(ctx: Context, request: PushRequest): Promise<PushResult> {
  const record = sessionWithBranch(ctx, request.name, "push");
  const { repo, branch } = record;
  const remote = request.remote ?? "origin";
  if (remote === "" || remote.startsWith("-")) throw usageError(`--remote ${JSON.stringify(remote)} is not a remote name`);
  // Only a configured remote: a URL or path typed here would be one more thing to check.
  const remotes = await ctx.git.remotes(repo);
  if (!remotes.includes(remote)) {
    const known = remotes.length > 0 ? `its remotes: ${remotes.join(", ")}` : "it has none; add one with `git remote add`";
    throw new CsmError("PushRejected", `cannot push ${branch}: ${repo} has no remote named ${JSON.stringify(remote)} (${known})`, { data: { name: record.name, remote, kind: "no-remote" } });
  }
  const head = await ctx.git.resolveCommit(repo, `refs/heads/${branch}`);
  if (!head) throw new CsmError("NoBranch", `${record.name}'s branch ${branch} is gone from ${repo}`, { data: { name: record.name } });
  // The worktree when it is there (its hooks and config); the repository shares the branch otherwise.
  const cwd = (await ctx.host.files.exists(record.worktree)) ? record.worktree : repo;
  const pushed = await ctx.git.pushBranch(cwd, remote, branch);
  if (pushed.code !== 0) {
    const failure = explainPushFailure(pushed.stderr, remote, branch);
    throw new CsmError("PushRejected", `push of ${branch} to ${remote} failed: ${failure.reason}`, { data: { name: record.name, remote, branch, kind: failure.kind } });
  }
  return { name: record.name, branch, remote, head };
}
