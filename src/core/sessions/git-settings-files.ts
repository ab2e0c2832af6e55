import { join } from "node:path";

// What git reads besides the files themselves when it counts a diff: its config at every
// level and the attributes files outside the worktree (a `binary` or `-diff` attribute, an
// `autocrlf` or `diff.algorithm` setting change its counts). A kept count is good only while
// these stay as they were (see working-tree-plan.ts). Followed include.path and a custom
// core.attributesFile are not: changing those files means `csm kill` or a commit to be seen.

export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

/** The files whose change makes git count differently, for a worktree with these git dirs under `env`. */
export function gitSettingsFiles(dirs: GitDirs, env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? "/";
  const xdgConfig = env.XDG_CONFIG_HOME || join(home, ".config");
  return [
    join(dirs.commonDir, "config"),
    join(dirs.gitDir, "config.worktree"),
    join(dirs.commonDir, "info", "attributes"),
    ...(env.GIT_CONFIG_GLOBAL ? [env.GIT_CONFIG_GLOBAL] : [join(xdgConfig, "git", "config"), join(home, ".gitconfig")]),
    join(xdgConfig, "git", "attributes"),
    env.GIT_CONFIG_SYSTEM || "/etc/gitconfig",
  ];
}

/** The GIT_* variables git runs with, as one key (GIT_CONFIG_PARAMETERS and the like set config too). */
export function gitEnvironmentKey(env: NodeJS.ProcessEnv): string {
  const pairs = Object.entries(env).filter(([name, value]) => name.startsWith("GIT_") && value !== undefined);
  return JSON.stringify(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}
