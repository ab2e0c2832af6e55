import { basename, join } from "node:path";
import type { ProjectConfig } from "../../config/schema.ts";
import { agentPaneArgv, agentSocketUrl, claudeArgv, newSecret, sessionEnvironment, SDK_URL_SECRET_VARIABLE, withoutSettingsArgs, type LaunchSpec } from "../../link/launch.ts";
import type { Transport } from "../live/live-state.ts";
import { chooseTransport, type TransportChoice } from "../../link/transport.ts";
import { CsmError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { AGENT_WINDOW, SHELL_WINDOW, tmuxSessionName, type Context } from "../context.ts";
import { checkRelativePath, findProject, requireClaude, requireNewName, requireTmux, resolveRepo, sessionExistsError } from "./preflight.ts";
import { paneLogPath, startPaneLog } from "./archive-pane-log.ts";
import { claimName } from "./name-claim.ts";
import { DEFAULT_PORT_RANGE, firstFreeBlock, portEnvironment, portsExhaustedError } from "./port-blocks.ts";
import { runProjectScript, scriptFailedError } from "./project-script.ts";
import { copyWorktreeIncludes } from "./worktree-include.ts";
import { checkStartFrom, planWorktreeStart, type StartFrom } from "./worktree-start.ts";
import { withRepoLock } from "./repo-lock.ts";
import { Rollback } from "./rollback.ts";
import { mergeSessions, type SessionView } from "./session-view.ts";
import type { SessionMode } from "../../config/session-mode.ts";
import { trustFolder } from "./claude-trust.ts";

export interface CreateRequest {
  name: string;
  repo?: string;
  base?: string;
  /** An existing branch to work on instead of a new csm branch. */
  branch?: string;
  /** A pull / merge request to fetch and work on. */
  pr?: number;
  /** The remote `pr` is fetched from (default origin). */
  remote?: string;
  prompt?: string;
  noWorktree?: boolean;
  project?: string;
  /** Continue an existing conversation (claude --resume) in its own directory; see resume.ts. */
  resume?: ResumeTarget;
  transport: TransportChoice;
  /** Native (claude's own screen) or headless; absent: the config's sessionMode, else native. */
  mode?: SessionMode;
  /**
   * Runs after every check passed and before anything is made: makes sure the hub runs
   * and returns its port, which the new session's claude connects to.
   */
  prepareHub: () => Promise<number>;
  /** Where relative paths and "the current repo" are resolved. */
  cwd: string;
}

export interface ResumeTarget {
  conversationId: string;
  /** The conversation's working directory: the session runs there (claude finds it by it). */
  cwd: string;
  /**
   * The cwd was a worktree that is gone: make it again at the same path on `branch`,
   * in `repo`. Otherwise the cwd must exist, and need not be a git repository.
   */
  recreateOn?: { branch: string };
}

export interface CreateResult {
  session: SessionView;
  warnings: string[];
}

export { branchName } from "./worktree-start.ts";

export async function createSession(ctx: Context, request: CreateRequest): Promise<CreateResult> {
  const name = checkName("session", request.name);
  const from: StartFrom = { base: request.base, branch: request.branch, pr: request.pr, remote: request.remote };
  checkStartFrom(from, request.noWorktree);
  await requireTmux(ctx);
  const claudeBin = await requireClaude(ctx);
  const mode = request.mode ?? ctx.settings.sessionMode;
  const transport: Transport = mode === "native" ? "native" : (await chooseTransport(ctx.host, claudeBin, request.transport, transportCachePath(ctx))).transport;
  const resume = request.resume;
  // Resuming in place: the conversation's directory, a git repository or not.
  const inPlace = resume !== undefined && resume.recreateOn === undefined;
  const repo = inPlace ? await ctx.git.topLevel(resume.cwd) : await resolveRepo(ctx, request.repo, request.cwd);
  // Held until this create has made the session or rolled back: a concurrent create of
  // the same name is refused as if the session existed.
  await using _claim = await claimName(ctx, name, () => sessionExistsError(name));
  await requireNewName(ctx, name);
  const project = repo && !inPlace ? await findProject(ctx, repo, request.project) : null;
  const now = new Date();
  const noWorktree = request.noWorktree || inPlace;
  const worktree = resume ? resume.cwd : request.noWorktree ? repo! : join(ctx.settings.worktreeBase, basename(repo!), name);
  if (!noWorktree && (await ctx.host.files.exists(worktree))) {
    throw new CsmError("WorktreeExists", `${worktree} already exists; remove it or pick another session name`);
  }

  const rollback = new Rollback();
  const warnings: string[] = [];
  try {
    // --no-worktree: claude runs in the repository, on whatever it has checked out.
    const startFrom = resume?.recreateOn ? { branch: resume.recreateOn.branch } : from;
    const start = noWorktree ? null : await planWorktreeStart(ctx, repo!, name, startFrom, now, rollback);
    const baseCommit = start ? start.baseCommit : repo ? await ctx.git.resolveCommit(repo, request.base ?? "HEAD") : null;
    if (!baseCommit && !inPlace) {
      throw new CsmError("BaseNotFound", `base ${JSON.stringify(request.base ?? "HEAD")} names no commit in ${repo} (check the branch, tag or commit)`);
    }
    const baseRef = start ? start.baseRef : repo ? (request.base ?? (await ctx.git.currentBranch(repo)) ?? baseCommit) : null;
    const branch = start?.branch ?? null;
    const hubPort = await request.prepareHub();
    if (start) {
      // csm's own data dir is private like its state dir; git makes the worktrees inside it.
      if (ctx.settings.worktreeBase === ctx.settings.paths.defaultWorktreeBase) await ctx.host.files.mkdirp(ctx.settings.paths.dataDir, 0o700);
      const repoPath = repo!;
      // Registered before the worktree is added: git can fail after it made the worktree and
      // the branch (a post-checkout hook that fails), and a retry would then find them there.
      const branchBefore = await ctx.git.branchExists(repoPath, start.branch);
      rollback.onFailure("remove worktree", () =>
        withRepoLock(ctx, repoPath, async () => {
          if (await ctx.host.files.exists(worktree)) await ctx.git.removeWorktree(repoPath, worktree, true);
          else await ctx.git.pruneWorktrees(repoPath);
          // Only a branch csm made: --branch work of the user's stays.
          if (start.createdBranch && !branchBefore && (await ctx.git.branchExists(repoPath, start.branch))) await ctx.git.deleteBranch(repoPath, start.branch);
        }),
      );
      await withRepoLock(ctx, repoPath, () => start.add(worktree));
      warnings.push(...(await copyWorktreeIncludes(ctx, repoPath, worktree)));
      if (project) warnings.push(...(await prepareWorktree(ctx, project[1], repoPath, worktree)));
    }
    const record: SessionRecord = {
      host: ctx.host.hostName,
      name,
      repo,
      worktree,
      branch,
      baseRef,
      baseCommit,
      createdBranch: start?.createdBranch ?? false,
      createdWorktree: start !== null,
      createdAt: now.toISOString(),
      options: { prompt: resume ? undefined : request.prompt, project: project?.[0], noWorktree: noWorktree || undefined, resumed: resume?.conversationId },
      claudeSessionId: resume?.conversationId ?? crypto.randomUUID(),
      favourite: false,
      exitStatus: null,
      exitedAt: null,
      agentSecret: newSecret(),
      transport,
    };
    const range = ctx.settings.config.portRange ?? DEFAULT_PORT_RANGE;
    try {
      const portBase = ctx.sessions().insertWithPortBlock(record, (used) => firstFreeBlock(range, used));
      if (portBase === null) throw portsExhaustedError(range);
      record.portBase = portBase;
    } catch (error) {
      // Another create of the same name got there first.
      if (/UNIQUE constraint/.test((error as Error).message)) throw sessionExistsError(name);
      throw error;
    }
    rollback.onFailure("forget session", () => ctx.sessions().remove(record.host, name));

    // Only a worktree csm made: the user's own folders (--no-worktree, a resumed conversation's) are theirs to trust.
    if (transport === "native" && start) {
      const untrusted = await trustFolder(ctx, worktree);
      if (untrusted) warnings.push(untrusted);
    }
    const specFile = await writeLaunchSpec(ctx, record, claudeBin, { resume: resume !== undefined, prompt: resume ? undefined : request.prompt, hubPort });
    rollback.onFailure("remove launch spec", () => ctx.host.files.remove(specFile));

    const tmuxSession = tmuxSessionName(name);
    await ctx.tmux.newSession({ session: tmuxSession, window: AGENT_WINDOW, cwd: worktree, argv: agentPaneArgv(transport, name) });
    rollback.onFailure("kill tmux session", () => ctx.tmux.killSession(tmuxSession));
    // A claude that exits stays visible as a dead pane (and `dead` in the list) instead of
    // taking its window with it.
    await ctx.tmux.setWindowOption(tmuxSession, AGENT_WINDOW, "remain-on-exit", "on");
    const notLogged = await startPaneLog(ctx, record, transport);
    if (notLogged) warnings.push(notLogged);
    // The block for every process of the session: the shell, and windows made later.
    const portEnv = portEnvironment(record.portBase);
    for (const [variable, value] of Object.entries(portEnv)) await ctx.tmux.setSessionEnvironment(tmuxSession, variable, value);
    await ctx.tmux.newShellWindow(tmuxSession, SHELL_WINDOW, worktree, { env: portEnv });

    const [session] = mergeSessions(record.host, [record], await ctx.tmux.listPanes());
    return { session: { ...session!, status: session!.status === "unknown" ? "starting" : session!.status }, warnings };
  } catch (error) {
    // `await` inside the `await using` scope: Bun 1.4 also reports a rejection returned
    // from there as unhandled (exit 1, a stack on stderr).
    return await rollback.fail(error);
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
  const env = { ...sessionEnvironment(ctx.env), ...portEnvironment(record.portBase) };
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
    paneLog: transport === "bridge" ? paneLogPath(ctx, record) : undefined,
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
    const failure = await runProjectScript(ctx, project.setupScript, { repo, worktree });
    if (failure) throw scriptFailedError("setup", failure);
  }
  return warnings;
}
