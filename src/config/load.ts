import { configError, usageError } from "../shared/errors.ts";
import { DEFAULT_SESSION_MODE, isSessionMode, type SessionMode } from "./session-mode.ts";
import { checkName } from "../shared/names.ts";
import { csmPaths, expandHome, type CsmPaths } from "./paths.ts";
import { validateConfig, type CsmConfig } from "./schema.ts";

/** The config file plus environment overrides, with paths expanded. */
export interface Settings {
  paths: CsmPaths;
  config: CsmConfig;
  tmuxSocket?: string;
  claudeBin: string;
  apiPort: number;
  worktreeBase: string;
  /** How new sessions run claude: CSM_SESSION_MODE, else the config's sessionMode, else native. */
  sessionMode: SessionMode;
}

export const DEFAULT_API_PORT = 7437;

/** Reads and validates the config file; a missing file is an empty config, a bad one an error. */
export async function readConfig(path: string): Promise<CsmConfig> {
  let text: string;
  try {
    text = await Bun.file(path).text();
  } catch (error) {
    // Looked at closer only where rules are read (checkConfigLink): node:fs costs `csm list` ~2 ms.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return validateConfig({}, path);
    throw configError(path, "(file)", `cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw configError(path, "(file)", `is not valid JSON: ${(error as Error).message}`);
  }
  return validateConfig(raw, path);
}

/**
 * A config that is a symlink leading nowhere (a dotfiles checkout not there yet) is not "no
 * config": read as one, its deny rules would be off without a word. Whatever reads the
 * rules (the hub's and the bridges' rule source, `csm rules`, `csm doctor`) and whatever
 * writes the file checks this first.
 */
export function checkConfigLink(path: string): void {
  const { existsSync, lstatSync, readlinkSync } = require("node:fs") as typeof import("node:fs");
  // existsSync follows the link: false only when it leads nowhere.
  if (!lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() || existsSync(path)) return;
  let target: string | null = null;
  try {
    target = readlinkSync(path);
  } catch {
    // Gone meanwhile: named without its target.
  }
  throw danglingConfigError(path, target);
}

/** The config is a symlink to nothing: refused by readers and writers alike, never replaced. */
export const danglingConfigError = (path: string, target: string | null) =>
  configError(path, "(file)", `is a symlink to ${target === null ? "a file" : JSON.stringify(target)}, which does not exist`);

export async function loadSettings(env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const paths = csmPaths(env);
  return settingsFrom(paths, await readConfig(paths.configFile), env);
}

function settingsFrom(paths: CsmPaths, config: CsmConfig, env: NodeJS.ProcessEnv): Settings {
  const tmuxSocket = env.CSM_TMUX_SOCKET || config.tmuxSocket;
  if (env.CSM_TMUX_SOCKET) {
    try {
      checkName("tmux socket", env.CSM_TMUX_SOCKET);
    } catch (error) {
      throw usageError(`CSM_TMUX_SOCKET: ${(error as Error).message}`);
    }
  }
  let apiPort = config.apiPort ?? DEFAULT_API_PORT;
  if (env.CSM_PORT) {
    apiPort = Number(env.CSM_PORT);
    if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65535) {
      throw usageError(`CSM_PORT must be an integer port from 1 to 65535 (got ${JSON.stringify(env.CSM_PORT)})`);
    }
  }
  const sessionMode = env.CSM_SESSION_MODE || config.sessionMode || DEFAULT_SESSION_MODE;
  if (!isSessionMode(sessionMode)) throw usageError(`CSM_SESSION_MODE must be native or headless (got ${JSON.stringify(env.CSM_SESSION_MODE)})`);
  return {
    paths,
    config,
    sessionMode,
    tmuxSocket,
    claudeBin: env.CSM_CLAUDE_BIN || (config.claudeBin ? expandHome(config.claudeBin, env) : "claude"),
    apiPort,
    worktreeBase: config.worktreeBase ? expandHome(config.worktreeBase, env) : paths.defaultWorktreeBase,
  };
}

/**
 * Config fields a running hub cannot take over: it listens on its port, keeps one tmux
 * server's control client, and holds a connection per SSH host. The rest is read where
 * it is used, so a change applies to the next request or session.
 */
export const RESTART_FIELDS = ["apiPort", "tmuxSocket", "hosts"] as const;

/**
 * Applies a changed config to running settings, in place (everything holding them sees
 * it). Fields in RESTART_FIELDS keep the values the process runs with; the ones of them
 * the new config changes are returned, to be told to whoever changed it.
 */
export function applyConfig(settings: Settings, config: CsmConfig, env: NodeJS.ProcessEnv): string[] {
  const running = settings.config;
  const restartNeeded = RESTART_FIELDS.filter((field) => JSON.stringify(running[field]) !== JSON.stringify(config[field]));
  const applied: CsmConfig = { ...config, hosts: running.hosts };
  for (const field of ["apiPort", "tmuxSocket"] as const) {
    if (running[field] === undefined) delete applied[field];
    else (applied as unknown as Record<string, unknown>)[field] = running[field];
  }
  const next = settingsFrom(settings.paths, applied, env);
  settings.config = applied;
  settings.claudeBin = next.claudeBin;
  settings.worktreeBase = next.worktreeBase;
  settings.sessionMode = next.sessionMode;
  return restartNeeded;
}
