import { isAbsolute, resolve } from "node:path";
import { expandHome } from "../../config/paths.ts";
import type { CsmConfig, ProjectConfig } from "../../config/schema.ts";
import { CsmError, toolMissingError, usageError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";
import { tmuxSessionName } from "../context.ts";

// Checks that run before `create` makes anything, each with its own message.

export async function requireTmux(ctx: Context): Promise<void> {
  if ((await ctx.tmux.version()) === null) {
    throw toolMissingError("tmux", "install tmux 3.0 or newer (e.g. `apt-get install tmux` or `brew install tmux`)");
  }
}

/** The claude executable's absolute path (CSM_CLAUDE_BIN, config claudeBin, or PATH). */
export async function requireClaude(ctx: Context): Promise<string> {
  const bin = ctx.settings.claudeBin;
  const found = bin.includes("/") ? ((await ctx.host.files.exists(bin)) ? resolve(bin) : null) : await ctx.host.which(bin);
  if (!found) {
    throw toolMissingError(
      `claude (${JSON.stringify(bin)})`,
      "install it with `npm install -g @anthropic-ai/claude-code`, or set claudeBin in the config or CSM_CLAUDE_BIN",
    );
  }
  return found;
}

/**
 * --repo, then config defaultRepo, then the repository around the current directory. Inside
 * another csm session's worktree (its shell window), that session's repository: the
 * worktree goes with its session, and a session must not name it as its repository.
 */
export async function resolveRepo(ctx: Context, requested: string | undefined, cwd: string): Promise<string> {
  const top = await topLevelOf(ctx, requested, cwd);
  for (const record of ctx.sessions().all(ctx.host.hostName)) {
    if (!record.createdWorktree || !record.repo) continue;
    if (record.worktree === top || (await ctx.host.files.realpath(record.worktree)) === top) return record.repo;
  }
  return top;
}

async function topLevelOf(ctx: Context, requested: string | undefined, cwd: string): Promise<string> {
  const candidate = requested ?? ctx.settings.config.defaultRepo;
  if (candidate === undefined) {
    const top = await ctx.git.topLevel(cwd);
    if (!top) throw usageError(`no repository given: use --repo PATH, set defaultRepo in the config, or run inside a git repository`);
    return top;
  }
  const path = resolve(cwd, expandHome(candidate, ctx.env));
  const real = await ctx.host.files.realpath(path);
  if (!real) throw new CsmError("RepoNotFound", `repository path ${path} does not exist`, { data: { path } });
  const top = await ctx.git.topLevel(real);
  if (!top) throw new CsmError("NotAGitRepo", `${path} is not a git repository (run \`git init\` there, or pick another --repo)`, { data: { path } });
  return top;
}

export const sessionExistsError = (name: string) =>
  new CsmError("SessionExists", `a session named ${name} already exists (see \`csm list\`); pick another name or \`csm kill ${name}\` first`, {
    data: { name },
  });

export async function requireNewName(ctx: Context, name: string): Promise<void> {
  if (ctx.sessions().get(ctx.host.hostName, name) || (await ctx.tmux.hasSession(tmuxSessionName(name)))) throw sessionExistsError(name);
}

export async function findProject(ctx: Context, repo: string, named?: string, config: Pick<CsmConfig, "projects"> = ctx.settings.config): Promise<[string, ProjectConfig] | null> {
  const projects = Object.entries(config.projects);
  if (named !== undefined) {
    const project = config.projects[named];
    if (!project) throw usageError(`no project named ${named} in the config (known: ${projects.map(([n]) => n).join(", ") || "none"})`);
    return [named, project];
  }
  for (const [projectName, project] of projects) {
    const real = await ctx.host.files.realpath(resolve(expandHome(project.repo, ctx.env)));
    if (real === repo) return [projectName, project];
  }
  return null;
}

/** A copyFiles entry must stay inside the repository and the worktree. */
export function checkRelativePath(field: string, path: string): string {
  if (isAbsolute(path) || path.split(/[\\/]/).includes("..")) {
    throw usageError(`${field}: ${JSON.stringify(path)} must be a path inside the repository (no leading / and no ..)`);
  }
  return path;
}
