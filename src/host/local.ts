import { SpawnError, type HostFiles, type PipedProcess, type RunOptions, type RunResult, type Runner } from "./runner.ts";

// node:fs/promises loads on first use: `csm list` never needs it, and every module on
// its path costs start-up time.
const fs = () => import("node:fs/promises");
const dirname = (path: string) => path.slice(0, Math.max(1, path.lastIndexOf("/")));

/**
 * Makes a directory and its missing parents, the new ones with exactly `mode`: mkdir's
 * mode passes through the umask, so each directory it made is chmodded as well. Those
 * that existed are left as they are.
 */
async function makeDirectories(path: string, mode: number | undefined): Promise<void> {
  const { chmod, mkdir } = await fs();
  const first = await mkdir(path, { recursive: true, mode });
  if (first === undefined || mode === undefined) return;
  for (let dir = path; ; dir = dirname(dir)) {
    await chmod(dir, mode);
    if (dir === first || dir === dirname(dir)) return;
  }
}

// Directories csm makes for its own files (state, config, locks, launch specs) are
// private: they hold tokens and agent secrets.
const PRIVATE_DIRECTORY = 0o700;

// Bun.spawn rather than execa: execa costs ~30 ms to import, and `csm list` has a budget
// of a few milliseconds above a bare `bun -e 0` (see `bun run bench`).

function spawnOrExplain(argv: readonly string[], options: RunOptions, stdio: "pipe" | "inherit") {
  try {
    return Bun.spawn([...argv], {
      cwd: options.cwd,
      env: options.env ?? (process.env as Record<string, string>),
      stdin: stdio === "inherit" ? "inherit" : options.input === undefined ? "ignore" : "pipe",
      stdout: stdio,
      stderr: stdio,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "not found" : code === "EACCES" ? "permission denied" : String((error as Error).message);
    throw new SpawnError(argv[0] ?? "", reason);
  }
}

export class LocalHost implements Runner {
  readonly hostName = "local";

  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const child = spawnOrExplain(argv, options, "pipe");
    if (options.input !== undefined && child.stdin && typeof child.stdin !== "number") {
      child.stdin.write(options.input);
      child.stdin.end();
    }
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout as ReadableStream).text(),
      new Response(child.stderr as ReadableStream).text(),
      child.exited,
    ]);
    if (timer) clearTimeout(timer);
    return { code, stdout, stderr };
  }

  async runAttached(argv: readonly string[], options: RunOptions = {}): Promise<number> {
    return spawnOrExplain(argv, options, "inherit").exited;
  }

  /** Runs `argv` on this process's terminal, in the background: its pid at once, how it ended later. */
  spawnAttached(argv: readonly string[], options: RunOptions = {}): { pid: number; exited: Promise<{ code: number | null; signal: string | null }> } {
    const child = spawnOrExplain(argv, options, "inherit");
    return { pid: child.pid, exited: child.exited.then(() => ({ code: child.signalCode ? null : child.exitCode, signal: child.signalCode ? String(child.signalCode) : null })) };
  }

  spawnPiped(argv: readonly string[], options: RunOptions = {}): PipedProcess {
    let child: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
    try {
      child = Bun.spawn([...argv], {
        cwd: options.cwd,
        env: options.env ?? (process.env as Record<string, string>),
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
    } catch (error) {
      throw new SpawnError(argv[0] ?? "", (error as Error).message);
    }
    return {
      pid: child.pid,
      write: (text) => {
        child.stdin.write(text);
        child.stdin.flush();
      },
      closeStdin: () => void child.stdin.end(),
      stdout: child.stdout,
      stderr: child.stderr,
      exited: child.exited.then((code) => ({ code: child.signalCode ? null : code, signal: child.signalCode ? String(child.signalCode) : null })),
      kill: (signal = "SIGTERM") => child.kill(signal),
    };
  }

  spawnDetached(argv: readonly string[], logFile: string, options: RunOptions = {}): number {
    const { openSync } = require("node:fs") as typeof import("node:fs");
    const log = openSync(logFile, "a", 0o600);
    const child = Bun.spawn([...argv], {
      cwd: options.cwd,
      env: options.env ?? (process.env as Record<string, string>),
      stdin: "ignore",
      stdout: log,
      stderr: log,
      detached: true,
    });
    child.unref();
    return child.pid;
  }

  async which(command: string): Promise<string | null> {
    return Bun.which(command);
  }

  readonly files: HostFiles = {
    async exists(path) {
      const { stat } = await fs();
      return stat(path).then(
        () => true,
        () => false,
      );
    },
    async mkdirp(path, mode) {
      await makeDirectories(path, mode);
    },
    async writeAtomic(path, content, mode = 0o644) {
      const { chmod, lstat, realpath, rename, writeFile } = await fs();
      // A symlink (~/.claude.json kept in a dotfiles checkout) is followed: the file it names
      // is replaced and the link stays. One that leads nowhere is replaced itself.
      const linked = (await lstat(path).catch(() => null))?.isSymbolicLink() ?? false;
      const target = linked ? await realpath(path).catch(() => path) : path;
      await makeDirectories(dirname(target), PRIVATE_DIRECTORY);
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, content, { mode });
      await chmod(temporary, mode);
      await rename(temporary, target);
    },
    async read(path) {
      return (await fs()).readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw error;
      });
    },
    async createExclusive(path, content) {
      const { writeFile } = await fs();
      await makeDirectories(dirname(path), PRIVATE_DIRECTORY);
      try {
        await writeFile(path, content, { flag: "wx", mode: 0o600 });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      }
    },
    async makeDirectoryExclusive(path) {
      try {
        await (await fs()).mkdir(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      }
    },
    async copy(from, to) {
      const { copyFile, mkdir } = await fs();
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    },
    async remove(path) {
      await (await fs()).rm(path, { recursive: true, force: true });
    },
    async realpath(path) {
      return (await fs()).realpath(path).catch(() => null);
    },
    async stamps(paths) {
      // Synchronous: a thousand lstat calls cost about a millisecond, a thousand promises more.
      const { lstatSync } = require("node:fs") as typeof import("node:fs");
      return paths.map((path) => {
        try {
          const stats = lstatSync(path, { bigint: true, throwIfNoEntry: false });
          if (!stats) return null;
          const kind = stats.isFile() ? "file" : stats.isDirectory() ? "directory" : stats.isSymbolicLink() ? "symlink" : "other";
          return { key: `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`, kind, changedMs: Number(stats.ctimeNs / 1_000_000n), modifiedMs: Number(stats.mtimeNs / 1_000_000n) };
        } catch {
          // A parent that is now a file (ENOTDIR), or no permission: nothing to trust.
          return null;
        }
      });
    },
  };
}
