import { basename, isAbsolute, join, resolve } from "node:path";
import type { ProjectConfig } from "../../config/schema.ts";
import { agentPaneArgv, agentSocketUrl, claudeArgv, newSecret, sessionEnvironment, SDK_URL_SECRET_VARIABLE, withoutSettingsArgs, type LaunchSpec } from "../../link/launch.ts";
import type { Transport } from "../live/live-state.ts";
import { chooseTransport, type TransportChoice } from "../../link/transport.ts";
import { CsmError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { AGENT_WINDOW, SHELL_WINDOW, tmuxSessionName, type Context } from "../context.ts";
import { checkRelativePath, findProject, requireClaude, requireNewName, requireTmux, resolveRepo, sessionExistsError } from "./preflight.ts";
import { claimName } from "./name-claim.ts";
import { withRepoLock } from "./repo-lock.ts";
import { Rollback } from "./rollback.ts";
import { mergeSessions, type SessionView } from "./session-view.ts";

export interface CreateRequest {
  name: string;
  repo?: string;
  base?: string;
  prompt?: string;
  noWorktree?: boolean;
  project?: string;
  transport: TransportChoice;
  /**
   * Runs after every check passed and before anything is made: makes sure the hub runs
   * and returns its port, which the new session's claude connects to.
   */
  prepareHub: () => Promise<number>;
  /** Where relative paths and "the current repo" are resolved. */
  cwd: string;
}

export interface CreateResult {
  session: SessionView;
  warnings: string[];
}

/** `csm/<name>-YYYYMMDD-HHMMSS` in UTC: unique per second, sortable, valid as a ref. */
export function branchName(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `csm/${name}-${stamp}`;
}

export async function createSession(ctx: Context, request: CreateRequest): Promise<CreateResult> {
  const name = checkName("session", request.name);
  await requireTmux(ctx);
  const claudeBin = await requireClaude(ctx);
  const { transport } = await chooseTransport(ctx.host, claudeBin, request.transport, transportCachePath(ctx));
  const repo = await resolveRepo(ctx, request.repo, request.cwd);
  // Held until this create has made the session or rolled back: a concurrent create of
  // the same name is refused as if the session existed.
  await using _claim = await claimName(ctx, name, () => sessionExistsError(name));
  await requireNewName(ctx, name);
  const project = await findProject(ctx, repo, request.project);
  const baseCommit = await ctx.git.resolveCommit(repo, request.base ?? "HEAD");
  if (!baseCommit) {
    throw new CsmError("BaseNotFound", `base ${JSON.stringify(request.base ?? "HEAD")} names no commit in ${repo} (check the branch, tag or commit)`);
  }
  const baseRef = request.base ?? (await ctx.git.currentBranch(repo)) ?? baseCommit;
  const now = new Date();
  const branch = request.noWorktree ? null : branchName(name, now);
  const worktree = request.noWorktree ? repo : join(ctx.settings.worktreeBase, basename(repo), name);
  if (!request.noWorktree && (await ctx.host.files.exists(worktree))) {
    throw new CsmError("WorktreeExists", `${worktree} already exists; remove it or pick another session name`);
  }

  const hubPort = await request.prepareHub();
  const rollback = new Rollback();
  const warnings: string[] = [];
  try {
    if (branch) {
      // csm's own data dir is private like its state dir; git makes the worktrees inside it.
      if (ctx.settings.worktreeBase === ctx.settings.paths.defaultWorktreeBase) await ctx.host.files.mkdirp(ctx.settings.paths.dataDir, 0o700);
      await withRepoLock(ctx, repo, () => ctx.git.addWorktree(repo, worktree, branch, baseCommit));
      rollback.onFailure("remove worktree", () =>
        withRepoLock(ctx, repo, async () => {
          await ctx.git.removeWorktree(repo, worktree, true);
          await ctx.git.deleteBranch(repo, branch);
        }),
      );
      if (project) warnings.push(...(await prepareWorktree(ctx, project[1], repo, worktree)));
    }
    const record: SessionRecord = {
      host: ctx.host.hostName,
      name,
      repo,
      worktree,
      branch,
      baseRef,
      baseCommit,
      createdBranch: branch !== null,
      createdWorktree: branch !== null,
      createdAt: now.toISOString(),
      options: { prompt: request.prompt, project: project?.[0], noWorktree: request.noWorktree || undefined },
      claudeSessionId: crypto.randomUUID(),
      favourite: false,
      exitStatus: null,
      exitedAt: null,
      agentSecret: newSecret(),
      transport,
    };
    try {
      ctx.sessions().insert(record);
    } catch (error) {
      // Another create of the same name got there first.
      if (/UNIQUE constraint/.test((error as Error).message)) throw sessionExistsError(name);
      throw error;
    }
    rollback.onFailure("forget session", () => ctx.sessions().remove(record.host, name));

    const specFile = await writeLaunchSpec(ctx, record, claudeBin, { resume: false, prompt: request.prompt, hubPort });
    rollback.onFailure("remove launch spec", () => ctx.host.files.remove(specFile));

    const tmuxSession = tmuxSessionName(name);
    await ctx.tmux.newSession({ session: tmuxSession, window: AGENT_WINDOW, cwd: worktree, argv: agentPaneArgv(transport, name) });
    rollback.onFailure("kill tmux session", () => ctx.tmux.killSession(tmuxSession));
    // A claude that exits stays visible as a dead pane (and `dead` in the list) instead of
    // taking its window with it.
    await ctx.tmux.setWindowOption(tmuxSession, AGENT_WINDOW, "remain-on-exit", "on");
    await ctx.tmux.newShellWindow(tmuxSession, SHELL_WINDOW, worktree);

    const [session] = mergeSessions(record.host, [record], await ctx.tmux.listPanes());
    return { session: { ...session!, status: session!.status === "unknown" ? "starting" : session!.status }, warnings };
  } catch (error) {
    return rollback.fail(error);
  }
}

/** The 0600 hand-over from csm to the agent pane; see link/launch.ts. */
export async function writeLaunchSpec(
  ctx: Context,
  record: SessionRecord,
  claudeBin: string,
  options: { resume: boolean; prompt?: string; hubPort: number },
): Promise<string> {
  const transport = (record.transport ?? "bridge") as Transport;
  // The port the hub really listens on (it may have been started with --port).
  const agentUrl = agentSocketUrl(options.hubPort, record.name);
  const env = sessionEnvironment(ctx.env);
  const extraArgs = ctx.settings.config.claudeArgs ?? [];
  const hookSettingsFile = join(ctx.settings.paths.hooksDir, `${record.name}.json`);
  // sdk-url: claude itself sends this as `Authorization: Bearer`; the bridge reads it from the spec.
  if (transport === "sdk-url") env[SDK_URL_SECRET_VARIABLE] = record.agentSecret!;
  const spec: LaunchSpec = {
    host: record.host,
    session: record.name,
    cwd: record.worktree,
    transport,
    argv: claudeArgv({
      claudeBin,
      extraArgs,
      transport,
      claudeSessionId: record.claudeSessionId!,
      resume: options.resume,
      agentUrl,
      hookSettingsFile,
    }),
    env,
    prompt: options.prompt,
    agentUrl,
    secret: record.agentSecret!,
    hookSettingsFile,
    userSettings: withoutSettingsArgs(extraArgs).settings,
  };
  const specFile = launchSpecPath(ctx, record.name);
  await ctx.host.files.writeAtomic(specFile, JSON.stringify(spec), 0o600);
  return specFile;
}

export const transportCachePath = (ctx: Context) => join(ctx.settings.paths.stateDir, "claude-versions.json");

export const launchSpecPath = (ctx: Context, name: string) => join(ctx.settings.paths.launchDir, `${name}.json`);

/** Copies the project's gitignored files and runs its setup script in the new worktree. */
async function prepareWorktree(ctx: Context, project: ProjectConfig, repo: string, worktree: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const file of project.copyFiles ?? []) {
    checkRelativePath("copyFiles", file);
    const source = join(repo, file);
    if (!(await ctx.host.files.exists(source))) {
      warnings.push(`copyFiles: ${file} is not in ${repo}; not copied`);
      continue;
    }
    await ctx.host.files.copy(source, join(worktree, file));
  }
  if (project.setupScript !== undefined) {
    const argv = Array.isArray(project.setupScript)
      ? project.setupScript
      : [isAbsolute(project.setupScript) ? project.setupScript : resolve(worktree, project.setupScript)];
    const result = await ctx.host.run(argv, { cwd: worktree, env: { ...(ctx.env as Record<string, string>), CSM_REPO: repo, CSM_WORKTREE: worktree } });
    if (result.code !== 0) {
      const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").at(-1) ?? "";
      throw new CsmError("SetupScriptFailed", `setup script ${argv[0]} failed with exit ${result.code}${detail ? `: ${detail}` : ""}`, {
        data: { code: result.code },
      });
    }
  }
  return warnings;
}
