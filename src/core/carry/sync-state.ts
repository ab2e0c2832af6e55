import { chmodSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

// What this machine remembers between syncs (`<data>/csm/sync/state.json`): which local files
// are unchanged since they were last synced (so a push with nothing new reads nothing), the
// memory files' content at the last sync, and the forks (a local id stored under another id).

export interface SyncedFile {
  size: number;
  mtimeMs: number;
  /** The cwd its records name, kept so `--project` need not read an unchanged file. */
  cwd: string | null;
}

/**
 * A diverged conversation: `mine` is this machine's copy, stored in the repository as a fork
 * (`repoId`); `theirs` is the repository's copy kept here beside this machine's under its own id.
 */
export interface SyncAlias {
  repoId: string;
  kind: "mine" | "theirs";
}

export interface SyncState {
  files: Record<string, SyncedFile>;
  memory: Record<string, string>;
  aliases: Record<string, SyncAlias>;
}

export const statePathOf = (syncDir: string) => `${syncDir}/state.json`;

export function loadSyncState(syncDir: string): SyncState {
  try {
    const raw = JSON.parse(readFileSync(statePathOf(syncDir), "utf8")) as Partial<SyncState>;
    return { files: raw.files ?? {}, memory: raw.memory ?? {}, aliases: raw.aliases ?? {} };
  } catch {
    // Missing (or unreadable): everything is compared again, which is slower but never wrong.
    return { files: {}, memory: {}, aliases: {} };
  }
}

export function saveSyncState(syncDir: string, state: SyncState): void {
  writeFileAtomic(statePathOf(syncDir), JSON.stringify(state));
}

export const cloneState = (state: SyncState): SyncState => ({ files: { ...state.files }, memory: { ...state.memory }, aliases: { ...state.aliases } });

/** The local id stored in the repository as `repoId` (a fork of theirs kept here, or the id itself). */
export function localIdFor(state: SyncState, repoId: string): string | null {
  for (const [localId, alias] of Object.entries(state.aliases)) if (alias.repoId === repoId) return localId;
  return state.aliases[repoId] ? null : repoId;
}

/** Writes beside the target, then renames: a reader sees the old file or the new one. */
/**
 * `content` in place of `path`, whole or not at all. A symlink is followed (the file it
 * names is replaced, the link stays); the file keeps its mode, and a new one is private
 * (0600, as claude writes transcripts) in private directories.
 */
export function writeFileAtomic(path: string, content: string): void {
  const target = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ? realTarget(path) : path;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const mode = (statSync(target, { throwIfNoEntry: false })?.mode ?? 0o600) & 0o777;
  const temporary = `${target}.csm-sync-${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, target);
}

/** Where a symlink leads; the link itself when it leads nowhere. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
