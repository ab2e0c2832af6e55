import { join } from "node:path";
import { readConfig } from "../../config/load.ts";
import type { CsmConfig, ProjectConfig } from "../../config/schema.ts";
import { statusCopyOf } from "../../link/native-settings.ts";
import { committedDiffCachePath } from "./committed-diff-cache.ts";
import { workingTreeCachePath } from "./working-tree-changes.ts";
import { CsmError, notFoundError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { tmuxSessionName, type Context } from "../context.ts";
import { archiveOnKill } from "./archive-end.ts";
import { changedCopies } from "./copied-files.ts";
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

/**
 * What removing this session's worktree (and branch) would lose: uncommitted files, and
 * commits that are on no other branch, remote or tag. Those are the commits of a branch
 * csm made, and of whatever the worktree has checked out (a commit made on a detached HEAD
 * is on no branch at all). A worktree that is gone has nothing uncommitted, but its branch
 * can still hold the only copy of its commits.
 */
export async function findUnsavedWork(ctx: Context, record: SessionRecord, config: Pick<CsmConfig, "projects"> = ctx.settings.config): Promise<UnsavedWork> {
  if (!record.createdWorktree || !record.repo) return { uncommitted: [], unpushed: [] };
  const there = await ctx.host.files.exists(record.worktree);
  const uncommitted = there ? [...(await ctx.git.uncommittedFiles(record.worktree)), ...(await copiesChanged(ctx, record, config))] : [];
  // A branch csm did not make (--branch) outlives the session: it saves what it holds.
  const ownBranch = record.branch && record.createdBranch && (await ctx.git.branchExists(record.repo, record.branch)) ? record.branch : null;
  const head = there ? await ctx.git.resolveCommit(record.worktree, "HEAD") : null;
  const tips = [...(ownBranch ? [`refs/heads/${ownBranch}`] : []), ...(head ? [head] : [])];
  // A session started on a fetched pull request (no base ref) began at a commit its remote
  // keeps (refs/pull/N/head); any other start commit is saved only where a ref holds it.
  const fetched = record.baseRef === null && record.baseCommit ? [record.baseCommit] : [];
  let unpushed = tips.length > 0 ? await ctx.git.unsavedCommits(record.repo, tips, ownBranch, fetched) : [];
  // Squash-merged into the base (`csm merge --squash`): the commits are nowhere else, but
  // what they changed is in the base, so deleting them loses nothing. Only a base that is
  // still a ref can say so: the commit a session started from may itself be saved nowhere.
  const base = record.baseRef ? await ctx.git.fullRefName(record.repo, record.baseRef) : null;
  if (base && unpushed.length > 0 && (await everyTipIn(ctx, record.repo, base, tips))) unpushed = [];
  return { uncommitted, unpushed };
}

/** Copied ignored files (.env) that changed in the worktree, as they are listed with uncommitted files. */
async function copiesChanged(ctx: Context, record: SessionRecord, config: Pick<CsmConfig, "projects">): Promise<string[]> {
  const project = await sessionProject(ctx, record, config);
  const changed = await changedCopies(ctx, record.repo!, record.worktree, project?.copyFiles ?? []);
  return changed.map((path) => `${path} (ignored by git; changed since csm copied it in)`);
}

async function everyTipIn(ctx: Context, repo: string, base: string, tips: readonly string[]): Promise<boolean> {
  for (const tip of tips) if (!(await ctx.git.addsNothingTo(repo, base, tip))) return false;
  return true;
}

export function unsavedWorkError(name: string, work: UnsavedWork, lead = `refusing to kill ${name}: it has work that would be lost (commit and push it, or use --force)`): CsmError {
  const lines = [lead];
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

  // The config as it is now, read once: a hub started before a project's teardownScript or
  // copyFiles were added knows them too.
  const config = record?.createdWorktree && record.repo && (await ctx.host.files.exists(record.worktree)) ? await readConfig(ctx.settings.paths.configFile) : ctx.settings.config;
  if (record && !request.force) {
    const work = await findUnsavedWork(ctx, record, config);
    if (work.uncommitted.length > 0 || work.unpushed.length > 0) throw unsavedWorkError(name, work);
  }

  const done: string[] = [];
  // Before anything is gone, so a failed teardown leaves the session as it was to retry.
  const teardownFailure = record ? await runTeardown(ctx, record, config) : null;
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
      // Asked again now that claude and the teardown have stopped: what they wrote since the
      // first look (a commit during a slow teardown) would go with the worktree or branch.
      if (!request.force) {
        const late = await findUnsavedWork(ctx, record, config);
        if (late.uncommitted.length > 0 || late.unpushed.length > 0) {
          const stopped = running ? `its tmux session was stopped, ` : "";
          throw unsavedWorkError(name, late, `refusing to remove ${name}'s worktree: work appeared while it was being killed (${stopped}nothing else was removed; commit and push it, then kill again, or use --force)`);
        }
      }
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

/** The project the session was made with, by name; else the one whose repo it is. */
async function sessionProject(ctx: Context, record: SessionRecord, config: Pick<CsmConfig, "projects">): Promise<ProjectConfig | null> {
  const named = record.options.project;
  if (named && config.projects[named]) return config.projects[named]!;
  return record.repo ? ((await findProject(ctx, record.repo, undefined, config))?.[1] ?? null) : null;
}

/** The project's teardownScript, in the session's worktree while it still exists; null when it ran fine or there is none. */
async function runTeardown(ctx: Context, record: SessionRecord, config: Pick<CsmConfig, "projects">) {
  if (!record.createdWorktree || !record.repo || !(await ctx.host.files.exists(record.worktree))) return null;
  const script = (await sessionProject(ctx, record, config))?.teardownScript;
  if (script === undefined) return null;
  return runProjectScript(ctx, script, { repo: record.repo, worktree: record.worktree }, portEnvironment(record.portBase));
}
