import type { Database } from "../store/db.ts";
import { Git } from "../adapters/git.ts";
import { Tmux } from "../adapters/tmux.ts";
import { loadSettings, type Settings } from "../config/load.ts";
import { LocalHost } from "../host/local.ts";
import type { Runner } from "../host/runner.ts";
import { openDatabase } from "../store/db.ts";
import { SessionStore } from "../store/sessions.ts";

// Everything a command needs, built once per invocation. The store opens lazily so
// commands that never touch it (help, doctor with a broken config) stay fast and safe.

export interface Context {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  host: Runner;
  tmux: Tmux;
  git: Git;
  /** The state database, opened on first use. */
  database(): Database;
  sessions(): SessionStore;
  close(): void;
}

export async function createContext(env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  const settings = await loadSettings(env);
  const host = new LocalHost();
  let db: Database | undefined;
  let store: SessionStore | undefined;
  const database = () => (db ??= openDatabase(settings.paths.database));
  return {
    settings,
    env,
    host,
    tmux: new Tmux(host, settings.tmuxSocket, env),
    git: new Git(host),
    database,
    sessions() {
      store ??= new SessionStore(database());
      return store;
    },
    close() {
      db?.close();
    },
  };
}

export const tmuxSessionName = (name: string) => `csm-${name}`;
export const AGENT_WINDOW = "agent";
export const SHELL_WINDOW = "shell";
