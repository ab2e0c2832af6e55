
// HOME is read first; node:os loads only when it is unset.
const home = (env: NodeJS.ProcessEnv) => env.HOME || (require("node:os") as typeof import("node:os")).homedir();

// Paths are joined by hand: node:path costs ~1 ms to load and csm only runs on POSIX.
const join = (...parts: string[]) => parts.join("/").replace(/\/{2,}/g, "/");

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
  /** Per-session `--settings` files that give claude csm's hooks (see link/hook-settings.ts). */
  hooksDir: string;
  /** csm's cache dir: the conversation indexes (store/conversation-index.ts), one per claude config dir. */
  cacheDir: string;
}

export function csmPaths(env: NodeJS.ProcessEnv = process.env): CsmPaths {
  const configHome = env.XDG_CONFIG_HOME || join(home(env), ".config");
  const stateHome = env.XDG_STATE_HOME || join(home(env), ".local", "state");
  const dataHome = env.XDG_DATA_HOME || join(home(env), ".local", "share");
  const cacheHome = env.XDG_CACHE_HOME || join(home(env), ".cache");
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
    hooksDir: join(stateDir, "hooks"),
    cacheDir: join(cacheHome, "csm"),
  };
}

/** Expands a leading `~` or `~/` against HOME; other paths are returned unchanged. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path === "~") return home(env);
  if (path.startsWith("~/")) return join(home(env), path.slice(2));
  return path;
}

/**
 * The conversation index of one claude config dir: each dir's transcripts have their own, so a
 * command for another `CLAUDE_CONFIG_DIR` never shares (or fights over) the hub's.
 */
export function conversationIndexPath(paths: Pick<CsmPaths, "cacheDir">, claudeConfigDir: string): string {
  return join(paths.cacheDir, `conversations-${Bun.hash(claudeConfigDir).toString(16).padStart(16, "0")}.sqlite`);
}
