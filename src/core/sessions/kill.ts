import { join } from "node:path";
import { statusCopyOf } from "../../link/native-settings.ts";
import { committedDiffCachePath } from "./committed-diff-cache.ts";
import { workingTreeCachePath } from "./working-tree-changes.ts";
import { CsmError, notFoundError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { tmuxSessionName, type Context } from "../context.ts";
import { archiveOnKill } from "./archive-end.ts";
import { portEnvironment } from "./port-blocks.ts";
import { findProject } from "./preflight.ts";
import { describeFailure, runProjectScript, scriptFailedError } from "./project-script.ts";
import { withRepoLock } from "./repo-lock.ts";
import { mergeSessions } from "./session-view.ts";

export interface KillRequest {
  name: string;
  deleteBranch?: boolean;
  force?: boolean;
}

export interface UnsavedWork {
  uncommitted: string[];
  unpushed: string[];
}

/** What removing this session's worktree (and branch) would lose. */
export async function findUnsavedWork(ctx: Context, record: SessionRecord): Promise<UnsavedWork> {
  const none = { uncommitted: [], unpushed: [] };
  if (!record.createdWorktree || !(await ctx.host.files.exists(record.worktree))) return none;
  const uncommitted = await ctx.git.uncommittedFiles(record.worktree);
  let unpushed: string[] = [];
  // A branch csm did not make (--branch) outlives the session: its commits are never lost here.
  if (record.repo && record.branch && record.createdBranch && (await ctx.git.branchExists(record.repo, record.branch))) {
    // Compare with the base as it is now (work merged since counts as saved); fall back
    // to the commit the session started from when the base ref is gone.
    const base = record.baseRef && (await ctx.git.resolveCommit(record.repo, record.baseRef)) ? record.baseRef : record.baseCommit;
    if (base) unpushed = await ctx.git.unpushedCommits(record.repo, record.branch, base);
    // Squash-merged into the base (`csm merge --squash`): the commits are nowhere else, but
    // what they changed is in the base, so deleting them loses nothing.
    if (base && unpushed.length > 0 && (await ctx.git.addsNothingTo(record.repo, base, `refs/heads/${record.branch}`))) unpushed = [];
  }
  return { uncommitted, unpushed };
}

export function unsavedWorkError(name: string, work: UnsavedWork): CsmError {
  const lines = [`refusing to kill ${name}: it has work that would be lost (commit and push it, or use --force)`];
  if (work.uncommitted.length > 0) lines.push("uncommitted changes:", ...work.uncommitted.map((file) => `  ${file}`));
  if (work.unpushed.length > 0) lines.push("commits on no remote and not in the base:", ...work.unpushed.map((commit) => `  ${commit}`));
  return new CsmError("UnsavedWork", lines.join("\n"), { data: { name, ...work } });
}

export async function killSession(ctx: Context, request: KillRequest): Promise<string[]> {
  const name = checkName("session", request.name);
  const tmuxSession = tmuxSessionName(name);
  const record = ctx.sessions().get(ctx.host.hostName, name);
  const running = await ctx.tmux.hasSession(tmuxSession);
  if (!record && !running) throw notFoundError("session", name, "see `csm list`");

  if (record && !request.force) {
    const work = await findUnsavedWork(ctx, record);
    if (work.uncommitted.length > 0 || work.unpushed.length > 0) throw unsavedWorkError(name, work);
  }

  const done: string[] = [];
  // Before anything is gone, so a failed teardown leaves the session as it was to retry.
  const teardownFailure = record ? await runTeardown(ctx, record) : null;
  if (teardownFailure && !request.force) {
    throw scriptFailedError(
      "teardown",
      teardownFailure,
      `; nothing was removed (fix it and kill again, or \`csm kill ${name} --force\` to remove the worktree anyway)`,
    );
  }
  // tmux's word on a session that died unseen, for the archive, while tmux can still say it.
  const [view] = record ? mergeSessions(ctx.host.hostName, [record], running ? await ctx.tmux.listPanes() : []) : [];
  if (running) {
    await ctx.tmux.killSession(tmuxSession);
    done.push(`tmux session ${tmuxSession}`);
  }
  const repo = record?.repo;
  if (record?.createdWorktree && repo) {
    await withRepoLock(ctx, repo, async () => {
      if (await ctx.host.files.exists(record.worktree)) {
        await ctx.git.removeWorktree(repo, record.worktree, request.force ?? false);
        done.push(`worktree ${record.worktree}${teardownFailure ? ` (though its ${describeFailure("teardown", teardownFailure)}: removed because of --force)` : ""}`);
      } else {
        await ctx.git.pruneWorktrees(repo);
      }
      if (request.deleteBranch && record.createdBranch && record.branch && (await ctx.git.branchExists(repo, record.branch))) {
        await ctx.git.deleteBranch(repo, record.branch);
        done.push(`branch ${record.branch}`);
      }
    });
  }
  if (record) {
    // Kept before the record and its events go: they are what the entry is made of.
    archiveOnKill(ctx, record, view?.status === "dead" ? view.statusReason : null);
    ctx.sessions().remove(record.host, name);
    await ctx.host.files.remove(join(ctx.settings.paths.launchDir, `${name}.json`));
    // The pane's program removes its --settings file (and a native session's status copy) as
    // it ends; one killed with its tmux session may not have got to it.
    const settingsFile = join(ctx.settings.paths.hooksDir, `${name}.json`);
    for (const file of [settingsFile, statusCopyOf(settingsFile)]) await ctx.host.files.remove(file);
    for (const cache of [committedDiffCachePath(ctx, name), workingTreeCachePath(ctx, name)]) await ctx.host.files.remove(cache);
  }
  return done;
}

/** The project's teardownScript, in the session's worktree while it still exists; null when it ran fine or there is none. */
async function runTeardown(ctx: Context, record: SessionRecord) {
  if (!record.createdWorktree || !record.repo || !(await ctx.host.files.exists(record.worktree))) return null;
  // The project the session was made with, by name; else the one whose repo it is.
  const named = record.options.project;
  const project = named && ctx.settings.config.projects[named] ? [named, ctx.settings.config.projects[named]!] as const : await findProject(ctx, record.repo);
  const script = project?.[1].teardownScript;
  if (script === undefined) return null;
  return runProjectScript(ctx, script, { repo: record.repo, worktree: record.worktree }, portEnvironment(record.portBase));
}
