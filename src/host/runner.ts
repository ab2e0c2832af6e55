// The one interface through which csm starts processes and touches files on a host.
// LocalHost implements it with Bun's spawn; SshHost (later) implements it over ssh2,
// so adapters (tmux, git) work the same on every machine.

export interface RunOptions {
  cwd?: string;
  /** Complete environment for the child. Omit to inherit csm's own. */
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** "local" or the configured SSH host name. */
  readonly hostName: string;
  /** Runs argv (never through a shell) and collects its output; a non-zero exit is not an error. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Runs argv attached to csm's own terminal; resolves with the exit code. */
  runAttached(argv: readonly string[], options?: RunOptions): Promise<number>;
  /** Starts argv with piped stdio and hands the pipes over (the bridge talks to claude so). */
  spawnPiped(argv: readonly string[], options?: RunOptions): PipedProcess;
  /** Starts argv in its own session, output to `logFile`, and lets it outlive csm (the hub). */
  spawnDetached(argv: readonly string[], logFile: string, options?: RunOptions): number;
  /** Absolute path of an executable found on PATH, or null. */
  which(command: string): Promise<string | null>;
  readonly files: HostFiles;
}

export interface PipedProcess {
  readonly pid: number;
  write(text: string): void;
  closeStdin(): void;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  /** Resolves with the exit code, or null and the signal's name when killed. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** The file operations csm needs on a host: few, so SFTP can provide them too. */
export interface HostFiles {
  exists(path: string): Promise<boolean>;
  mkdirp(path: string, mode?: number): Promise<void>;
  /** Atomic: writes a temporary sibling, then renames it over the target. */
  writeAtomic(path: string, content: string, mode?: number): Promise<void>;
  read(path: string): Promise<string | null>;
  /** Creates the file only if it does not exist (O_EXCL); false when it already does. */
  createExclusive(path: string, content: string): Promise<boolean>;
  /** Makes one directory (its parent must exist); false when something is already there. A lock others take by mkdir. */
  makeDirectoryExclusive(path: string): Promise<boolean>;
  copy(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  realpath(path: string): Promise<string | null>;
  /**
   * What each path is on disk now, without following a symlink: a key that changes when the
   * file does (device, inode, size, modification and change times) and its change time.
   * Null where the path is gone, or where this host cannot say (so nothing is trusted).
   */
  stamps(paths: readonly string[]): Promise<(FileStamp | null)[]>;
}

export interface FileStamp {
  key: string;
  /** What lstat found: a symlink is stamped itself, not what it points to. */
  kind: "file" | "directory" | "symlink" | "other";
  /** The change time (ctime): no tool sets it back, so what changed since is seen. */
  changedMs: number;
  /** The modification time (mtime): what lock libraries renew to say a lock is still held. */
  modifiedMs: number;
}

/** Thrown when argv[0] cannot be started at all (not found, not executable). */
export class SpawnError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`cannot run ${command}: ${reason}`);
    this.name = "SpawnError";
  }
}
