import { homedir } from "node:os";
import { join } from "node:path";

// XDG base directories, read from the environment each call so tests (and users)
// can point csm anywhere with HOME / XDG_* alone.

export interface CsmPaths {
  configDir: string;
  configFile: string;
  stateDir: string;
  dataDir: string;
  database: string;
  defaultWorktreeBase: string;
  /** Launch specs handed from `csm create` to the agent pane (0600, read once). */
  launchDir: string;
}

export function csmPaths(env: NodeJS.ProcessEnv = process.env): CsmPaths {
  const home = env.HOME || homedir();
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config");
  const stateHome = env.XDG_STATE_HOME || join(home, ".local", "state");
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const configDir = join(configHome, "csm");
  const stateDir = join(stateHome, "csm");
  const dataDir = join(dataHome, "csm");
  return {
    configDir,
    configFile: join(configDir, "config.json"),
    stateDir,
    dataDir,
    database: join(stateDir, "csm.sqlite"),
    defaultWorktreeBase: join(dataDir, "worktrees"),
    launchDir: join(stateDir, "launch"),
  };
}

/** Expands a leading `~` or `~/` against HOME; other paths are returned unchanged. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}
