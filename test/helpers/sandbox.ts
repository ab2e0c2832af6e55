import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { waitFor } from "./wait-for.ts";

// A private world for one test: its own HOME and XDG dirs, its own tmux server (socket
// name and TMUX_TMPDIR), and the stand-in claude. Nothing a test does can reach the
// user's tmux, config or repos, and `dispose` removes everything it made.

/** Whether a process with this pid exists (signal 0 sends nothing). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Ports for servers a test starts later (a hub, sshd). A port the kernel picked with
// port 0 comes from the ephemeral range, which every outgoing connection (claude to the
// fake API, ssh, fetch) also draws from: between our probe and the server's bind, one of
// them took 41665 and a CI run failed. So pick below that range, and above the session
// port blocks (20000–29999), where only listeners go, and never hand a port out twice
// in one run (test files share one process).
const handedOut = new Set<number>();

function ephemeralLowestPort(): number {
  try {
    const first = Number.parseInt(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8"), 10);
    return Number.isInteger(first) ? first : 32768;
  } catch {
    return 32768;
  }
}

function listenOnce(port: number): number | null {
  try {
    const listener = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
    const bound = listener.port;
    listener.stop(true);
    return bound;
  } catch {
    return null;
  }
}

/** A port free right now, outside the kernel's ephemeral range when it leaves room. */
export function freePort(): number {
  const from = 30000;
  const to = Math.min(ephemeralLowestPort() - 1, 32767);
  for (let tries = 0; to - from >= 100 && tries < 200; tries++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (handedOut.has(port) || listenOnce(port) === null) continue;
    handedOut.add(port);
    return port;
  }
  const port = listenOnce(0);
  if (port === null) throw new Error("no free port on 127.0.0.1");
  handedOut.add(port);
  return port;
}

export const PROJECT_ROOT = resolve(import.meta.dir, "../..");
export const CSM_ENTRY = join(PROJECT_ROOT, "bin", "csm");
export const FAKE_CLAUDE = join(PROJECT_ROOT, "test", "fixtures", "fake-claude");

/** Environment values; `undefined` removes a variable from the inherited set. */
export type EnvPatch = Record<string, string | undefined>;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: EnvPatch;
  cwd?: string;
  /** The child is killed after this long, so a hung command fails the test instead of the run. */
  timeoutMs?: number;
}

export interface SandboxPaths {
  root: string;
  home: string;
  configHome: string;
  stateHome: string;
  dataHome: string;
  cacheHome: string;
  tmuxTmpdir: string;
  /** TMPDIR and CLAUDE_CODE_TMPDIR of everything the sandbox runs: claude's scratch files stay in the sandbox. */
  tmp: string;
  configFile: string;
  /** csm's default worktree base: `$XDG_DATA_HOME/csm/worktrees`. */
  worktreeBase: string;
  /** Where the stand-in claude appends a record of each launch (FAKE_CLAUDE_LOG). */
  claudeLog: string;
}

export interface MakeRepoOptions {
  /** Also create a bare `origin` next to it and push `main` there. */
  remote?: boolean;
}

export interface Sandbox extends AsyncDisposable {
  readonly paths: SandboxPaths;
  /** The private tmux socket name, also exported as CSM_TMUX_SOCKET. */
  readonly socket: string;
  /** The environment every command in the sandbox starts from. */
  readonly env: Record<string, string>;
  csm(args: string[], options?: RunOptions): Promise<RunResult>;
  /** tmux on the sandbox socket (`-L` is always added). */
  tmux(args: string[], options?: RunOptions): Promise<RunResult>;
  /** tmux on another private socket of this sandbox (it is killed on dispose too). */
  tmuxOn(socket: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** A fresh socket name for a second tmux server, registered for cleanup. */
  extraSocket(label: string): string;
  /** Runs git and returns trimmed stdout; throws with git's stderr when it fails. */
  git(cwd: string, args: string[]): Promise<string>;
  run(argv: string[], options?: RunOptions): Promise<RunResult>;
  makeRepo(name?: string, options?: MakeRepoOptions): Promise<string>;
  /** Writes the csm config file: an object as JSON, a string byte for byte. */
  writeConfig(config: object | string): Promise<string>;
  waitFor: typeof waitFor;
  dispose(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Every process below `pids` (children, theirs, …), from /proc; none where there is no /proc. */
function descendantsOf(pids: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  if (!existsSync("/proc/self/stat")) return [];
  for (const entry of readdirSync("/proc", { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\d+$/.test(entry.name)) continue;
    try {
      const stat = readFileSync(`/proc/${entry.name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry.name)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [...pids];
  while (queue.length > 0) for (const child of children.get(queue.shift()!) ?? []) found.push(child), queue.push(child);
  return found;
}

function randomSuffix(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

/** The inherited environment minus everything that could point a test at real state. */
function cleanInheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key === "TMUX" || key === "TMUX_PANE") continue;
    if (/^(CSM_|XDG_|GIT_|ANTHROPIC_|CLAUDE_|FAKE_CLAUDE_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function applyPatch(base: Record<string, string>, patch: EnvPatch = {}): Record<string, string> {
  const env = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

async function runProcess(argv: string[], env: Record<string, string>, options: RunOptions = {}): Promise<RunResult> {
  const child = Bun.spawn(argv, {
    cwd: options.cwd,
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);
  if (timedOut) throw new Error(`${argv.join(" ")} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`);
  return { code, stdout, stderr };
}

/**
 * Stops the hub whose hub.json is under this state home (a hub the test started), and
 * waits for it: a hub still shutting down while its tmux server is killed can leave
 * that server waiting on the hub's control client.
 */
export async function stopHubOf(stateHome: string): Promise<void> {
  // hub.json, or the lock of a hub still starting (a bridge may have started it).
  const named = [join(stateHome, "csm", "hub.json"), join(stateHome, "csm", "hub.lock")].flatMap((file) => {
    try {
      const text = readFileSync(file, "utf8");
      return [file.endsWith(".json") ? (JSON.parse(text) as { pid: number }).pid : Number(text.split(" ")[0])];
    } catch {
      return [];
    }
  });
  const hubPids = [...new Set(named)].filter((pid) => Number.isInteger(pid) && pid > 0 && isAlive(pid));
  for (const pid of hubPids) process.kill(pid, "SIGTERM");
  await waitFor(() => hubPids.every((pid) => !isAlive(pid)), { timeoutMs: 3_000, what: "the hub to exit" }).catch(() => undefined);
}

/** The pids /proc lists that `where` accepts; none where there is no /proc. */
function processesWhere(where: (pid: number) => boolean): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter(where);
  } catch {
    return [];
  }
}

/**
 * Hubs this sandbox's bridges started and that had not yet taken the lock when the
 * sandbox was torn down: `csm server --port <the sandbox's port>` running in the
 * sandbox's directory. Linux only (/proc); elsewhere stopHubOf has to do.
 */
function strayHubs(root: string, port: string): number[] {
  return processesWhere((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const at = argv.indexOf("server");
      if (at < 0 || !argv[at - 1]?.endsWith("/bin/csm") || argv[at + 1] !== "--port" || argv[at + 2] !== port) return false;
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(`${root}/`) && isAlive(pid);
    } catch {
      return false;
    }
  });
}

/**
 * Processes still running with this sandbox in their environment or as their cwd: ones the
 * test started (nobody else knows the random directory), whatever parent they have now,
 * such as a claude that detached from its pane. Linux only (/proc).
 */
function sandboxProcesses(root: string): number[] {
  return processesWhere((pid) => {
    if (pid === process.pid) return false;
    try {
      const inside = readlinkSync(`/proc/${pid}/cwd`).startsWith(`${root}/`) || readFileSync(`/proc/${pid}/environ`, "utf8").includes(`=${root}/`);
      return inside && isAlive(pid);
    } catch {
      return false;
    }
  });
}

/** Still running: a zombie (exited, not yet reaped by init) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self")) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function makeSandbox(): Promise<Sandbox> {
  // realpath: on systems where the temp dir is a symlink, csm and git report the
  // resolved path, and tests compare paths with what they report.
  const root = await realpath(await mkdtemp(join(tmpdir(), "csm-test-")));
  const paths: SandboxPaths = {
    root,
    home: join(root, "home"),
    configHome: join(root, "config"),
    stateHome: join(root, "state"),
    dataHome: join(root, "data"),
    cacheHome: join(root, "cache"),
    tmuxTmpdir: join(root, "tmux"),
    tmp: join(root, "tmp"),
    configFile: join(root, "config", "csm", "config.json"),
    worktreeBase: join(root, "data", "csm", "worktrees"),
    claudeLog: join(root, "fake-claude.log"),
  };
  await Promise.all([paths.home, paths.configHome, paths.stateHome, paths.dataHome, paths.tmuxTmpdir, paths.tmp].map((dir) => mkdir(dir, { recursive: true })));

  const socket = `csm-test-${randomSuffix()}`;
  const sockets = [socket];
  const env: Record<string, string> = {
    ...cleanInheritedEnv(),
    HOME: paths.home,
    XDG_CONFIG_HOME: paths.configHome,
    XDG_STATE_HOME: paths.stateHome,
    XDG_DATA_HOME: paths.dataHome,
    XDG_CACHE_HOME: paths.cacheHome,
    TMUX_TMPDIR: paths.tmuxTmpdir,
    // Claude keeps per-project scratch dirs under $TMPDIR/claude-<uid> and never removes them.
    TMPDIR: paths.tmp,
    CLAUDE_CODE_TMPDIR: paths.tmp,
    CSM_TMUX_SOCKET: socket,
    CSM_CLAUDE_BIN: FAKE_CLAUDE,
    // The fake claude speaks stream-json only: sessions are headless unless a test asks for
    // native (`--mode native`, or CSM_SESSION_MODE unset with the real claude).
    CSM_SESSION_MODE: "headless",
    // A port nobody else uses, in case a command starts the hub.
    CSM_PORT: String(freePort()),
    FAKE_CLAUDE_LOG: paths.claudeLog,
    // The shell window should not read a login profile; /bin/sh starts fast everywhere.
    SHELL: "/bin/sh",
    GIT_TERMINAL_PROMPT: "0",
  };

  const run = (argv: string[], options: RunOptions = {}) =>
    runProcess(argv, applyPatch(env, options.env), { ...options, cwd: options.cwd ?? root });
  const tmuxOn = (name: string, args: string[], options: RunOptions = {}) => run(["tmux", "-L", name, ...args], options);
  let disposed = false;

  const sandbox: Sandbox = {
    paths,
    socket,
    env,
    run,
    csm: (args, options) => run([process.execPath, CSM_ENTRY, ...args], options),
    tmux: (args, options) => tmuxOn(socket, args, options),
    tmuxOn,
    extraSocket(label) {
      const name = `csm-test-${label}-${randomSuffix()}`;
      sockets.push(name);
      return name;
    },
    async git(cwd, args) {
      const result = await run(["git", ...args], { cwd });
      if (result.code !== 0) throw new Error(`git ${args.join(" ")} (in ${cwd}) exited ${result.code}: ${result.stderr.trim()}`);
      return result.stdout.trim();
    },
    async makeRepo(name = "app", options = {}) {
      const repo = join(root, "repos", name);
      await mkdir(repo, { recursive: true });
      const git = (args: string[]) => sandbox.git(repo, args);
      await git(["init", "-q", "-b", "main"]);
      await git(["config", "user.name", "csm test"]);
      await git(["config", "user.email", "csm-test@example.invalid"]);
      await git(["config", "commit.gpgsign", "false"]);
      await writeFile(join(repo, "README.md"), `# ${name}\n`);
      await git(["add", "README.md"]);
      await git(["commit", "-q", "-m", "initial commit"]);
      if (options.remote) {
        const remote = join(root, "remotes", `${name}.git`);
        await mkdir(remote, { recursive: true });
        await sandbox.git(remote, ["init", "-q", "--bare", "-b", "main"]);
        await git(["remote", "add", "origin", remote]);
        await git(["push", "-q", "-u", "origin", "main"]);
      }
      return repo;
    },
    async writeConfig(config) {
      await mkdir(join(paths.configHome, "csm"), { recursive: true });
      await writeFile(paths.configFile, typeof config === "string" ? config : JSON.stringify(config, null, 2));
      return paths.configFile;
    },
    waitFor,
    async dispose() {
      if (disposed) return;
      disposed = true;
      // The hub `csm create` started for this sandbox: its pid is in the sandbox's own state dir.
      await stopHubOf(paths.stateHome);
      // Only the servers on this sandbox's own sockets: never anyone else's tmux.
      const panePids: number[] = [];
      for (const name of sockets) {
        const panes = await tmuxOn(name, ["list-panes", "-a", "-F", "#{pane_pid}"]).catch(() => undefined);
        if (panes?.code === 0) panePids.push(...panes.stdout.split("\n").filter(Boolean).map(Number));
        // A hub's tmux control client (started by this test's hubs) whose hub went away
        // without ending it keeps an exiting server waiting: end it first.
        const controls = await tmuxOn(name, ["list-clients", "-F", "#{?client_control_mode,#{client_pid},}"]).catch(() => undefined);
        for (const pid of controls?.code === 0 ? controls.stdout.split("\n").filter(Boolean).map(Number) : []) {
          if (isAlive(pid)) process.kill(pid, "SIGKILL");
        }
      }
      // claude runs under the pane's process (the bridge, the native supervisor) and may
      // outlive it by a moment, writing its config and transcript as it exits.
      const paneProcesses = [...panePids, ...descendantsOf(panePids)];
      for (const name of sockets) await tmuxOn(name, ["kill-server"]).catch(() => undefined);
      // Let the panes' processes (run-agent, the stand-in, claude) finish exiting so none of
      // them writes into the directory after it is removed.
      await waitFor(() => paneProcesses.every((pid) => !isAlive(pid)), { timeoutMs: 5_000, what: "tmux panes to exit" }).catch(() => undefined);
      // A bridge whose hub went away starts one (see src/link/bridge.ts): one may have come
      // up, or be coming up, while the sandbox was torn down.
      await stopHubOf(paths.stateHome);
      const strays = strayHubs(root, env.CSM_PORT!);
      for (const pid of strays) process.kill(pid, "SIGTERM");
      await waitFor(() => strays.every((pid) => !isAlive(pid)), { timeoutMs: 3_000, what: "stray hubs to exit" }).catch(() => undefined);
      // Anything else of the test's still running there (a claude that left its pane's
      // tree) would write its config into the directory after it is removed.
      const lingering = sandboxProcesses(root);
      await waitFor(() => lingering.every((pid) => !isAlive(pid)), { timeoutMs: 3_000, what: "the sandbox's processes to exit" }).catch(() => {
        for (const pid of lingering) if (isAlive(pid)) process.kill(pid, "SIGTERM");
      });
      await waitFor(() => lingering.every((pid) => !isAlive(pid)), { timeoutMs: 2_000, what: "the sandbox's processes to exit" }).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]() {
      return sandbox.dispose();
    },
  };
  return sandbox;
}
