import { constants, homedir, userInfo } from "node:os";
import { readFileSync } from "node:fs";
import { remoteCommand } from "./remote-command.ts";
import type { HostFiles, PipedProcess, RunOptions, RunResult, Runner } from "./runner.ts";
import { SshConnection } from "./ssh-connection.ts";
import { SshError, type SshTarget } from "./ssh-errors.ts";
import { remoteFiles } from "./ssh-files.ts";
import { spawnPipedOver } from "./ssh-piped.ts";
import { forwardPort, type PortForward } from "./ssh-forward.ts";

// A Runner on another machine, over one pooled ssh2 connection (ssh-connection.ts).
// Differences from LocalHost that callers must know:
// - `options.env` is added to the remote login environment (after the host's configured
//   `env`); it is not a complete environment, so never pass csm's own process.env.
// - `cwd` and file paths that are relative start from the remote login directory.
// - spawnDetached cannot return a pid synchronously over SSH: use startDetached.

export interface SshHostConfig {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** Exported for every remote command. */
  env?: Record<string, string>;
}

export interface SshHostOptions {
  /** Default: ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  /** Default 5000: a host that does not answer is reported unreachable within this. */
  connectTimeoutMs?: number;
  /** Default 15000, with 3 unanswered keepalives counting as a dropped connection. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** ssh-agent socket; default $SSH_AUTH_SOCK. Pass null for no agent. */
  agent?: string | null;
  /** Where `~` in identityFile and the default known_hosts point; default $HOME. */
  homeDir?: string;
  /** Concurrent channels on the connection; default 8 (sshd allows 10 by default). */
  maxChannels?: number;
}

/** The local user name; Bun's os.userInfo() answers "unknown" in some containers. */
function localUserName(): string {
  const fromEnv = process.env.USER ?? process.env.LOGNAME;
  if (fromEnv) return fromEnv;
  const fromOs = userInfo().username;
  if (fromOs && fromOs !== "unknown") return fromOs;
  const uid = process.getuid?.();
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.split(":")[2] === String(uid));
  if (line) return line.split(":")[0]!;
  throw new Error("cannot tell the local user name: set `user` for the SSH host in the config");
}

const expandHome = (path: string, home: string) => (path === "~" ? home : path.startsWith("~/") ? `${home}${path.slice(1)}` : path);

/** The exit status a shell reports for a process killed by `signal` (ssh2 says "SIGTERM"). */
function signalStatus(signal: string): number {
  const number = (constants.signals as Record<string, number>)[`SIG${signal.replace(/^SIG/, "")}`];
  return 128 + (number ?? 0);
}

export class SshHost implements Runner {
  readonly files: HostFiles;
  readonly target: SshTarget;
  private readonly connection: SshConnection;
  private readonly knownHostsPath: string;
  private readonly identityFile: string | undefined;
  private readonly connectTimeoutMs: number;

  constructor(
    readonly hostName: string,
    private readonly config: SshHostConfig,
    options: SshHostOptions = {},
  ) {
    const home = options.homeDir ?? process.env.HOME ?? homedir();
    this.target = { name: hostName, host: config.host, port: config.port ?? 22, user: config.user ?? localUserName() };
    this.knownHostsPath = options.knownHostsPath ?? `${home}/.ssh/known_hosts`;
    this.identityFile = config.identityFile === undefined ? undefined : expandHome(config.identityFile, home);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.connection = new SshConnection(this.target, {
      knownHostsPath: this.knownHostsPath,
      connectTimeoutMs: this.connectTimeoutMs,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      agent: options.agent === null ? undefined : (options.agent ?? process.env.SSH_AUTH_SOCK),
      identityFile: this.identityFile,
      homeDir: home,
      maxChannels: options.maxChannels ?? 8,
    });
    this.files = remoteFiles(hostName, (argv, runOptions) => this.run(argv, runOptions));
  }

  /** The shell string the remote login shell runs for argv, with the host's env merged in. */
  command(argv: readonly string[], options: RunOptions = {}): string {
    const env = { ...this.config.env, ...options.env };
    return remoteCommand(argv, { cwd: options.cwd, env: Object.keys(env).length > 0 ? env : undefined });
  }

  /** Opens the connection now (a health check); rejects with the reason it cannot. */
  async connect(): Promise<void> {
    await this.connection.client();
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    let command: string;
    try {
      command = this.command(argv, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.connection.withChannel<RunResult>(command, `running ${argv[0]}`, (channel, settle, fail) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let status: number | null = null;
      channel.on("data", (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      channel.on("exit", (code: number | null, signal?: string) => {
        status = code ?? signalStatus(signal ?? "KILL");
      });
      const result = (code: number): RunResult => ({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
      const timer = options.timeoutMs
        ? setTimeout(() => {
            // Like LocalHost: the program is killed and its output so far is returned.
            // sshd refuses "signal" requests for root logins (no privilege separation);
            // then closing the channel still ends a program at its next write (SIGPIPE).
            channel.signal("KILL");
            channel.close();
            settle(result(signalStatus("KILL")));
          }, options.timeoutMs)
        : undefined;
      channel.on("close", () => {
        clearTimeout(timer);
        if (status === null) return fail(new SshError(this.hostName, `${argv[0]} on ${this.hostName} ended without an exit status`));
        settle(result(status));
      });
      if (options.input !== undefined) channel.end(options.input);
      else channel.end();
    });
  }

  /** Runs argv in a terminal through the system `ssh -t`, so the terminal behaves as people expect. */
  async runAttached(argv: readonly string[], options: RunOptions = {}): Promise<number> {
    const child = Bun.spawn(this.attachArgv(argv, options), { stdin: "inherit", stdout: "inherit", stderr: "inherit" });
    return child.exited;
  }

  /** The local `ssh` argv for runAttached: same host, key, known_hosts and no prompts as the pooled connection. */
  attachArgv(argv: readonly string[], options: RunOptions = {}): string[] {
    const { host, port, user } = this.target;
    // ssh's -o values are split on whitespace unless quoted.
    const optionValue = (value: string) => (/[\s"]/.test(value) ? `"${value.replaceAll('"', "")}"` : value);
    return [
      "ssh",
      "-t",
      // Ignore ~/.ssh/config so that `ssh` reaches the same machine as the ssh2 connection.
      "-F",
      "none",
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${optionValue(this.knownHostsPath)}`,
      "-o",
      `ConnectTimeout=${Math.ceil(this.connectTimeoutMs / 1000)}`,
      "-p",
      String(port),
      ...(this.identityFile ? ["-i", this.identityFile] : []),
      "-l",
      user,
      "--",
      host,
      this.command(argv, options),
    ];
  }

  spawnPiped(argv: readonly string[], options: RunOptions = {}): PipedProcess {
    return spawnPipedOver(this.connection, this.command(argv, options), argv[0] ?? "");
  }

  spawnDetached(): number {
    throw new SshError(this.hostName, `spawnDetached cannot return a pid synchronously on the SSH host ${this.hostName}: use startDetached`);
  }

  /** Starts argv in its own session on the host, output appended to `logFile`; resolves with its remote pid. */
  async startDetached(argv: readonly string[], logFile: string, options: RunOptions = {}): Promise<number> {
    // Redirecting every stdio stream lets the SSH session end while the program lives on.
    const script = `log=$1; shift; exec </dev/null >>"$log" 2>&1; setsid "$@" 3>&- & echo $! >&3`;
    const wrapped = ["sh", "-c", `exec 3>&1; ${script}`, "sh", logFile, ...argv];
    const result = await this.run(wrapped, options);
    const pid = Number.parseInt(result.stdout, 10);
    if (result.code !== 0 || !Number.isInteger(pid)) throw new SshError(this.hostName, `cannot start ${argv[0]} on ${this.hostName}: ${result.stderr.trim() || `exit ${result.code}`}`);
    return pid;
  }

  async which(command: string): Promise<string | null> {
    // `command -v` answers a builtin's bare name (dash: `echo`), so then PATH is searched
    // for the executable of that name, as Bun.which does locally.
    const script =
      `p=$(command -v "$1") || exit 1; case $p in /*) printf '%s\\n' "$p"; exit 0;; esac; ` +
      `IFS=:; for d in $PATH; do if [ -f "$d/$1" ] && [ -x "$d/$1" ]; then printf '%s\\n' "$d/$1"; exit 0; fi; done; exit 1`;
    const result = await this.run(["sh", "-c", script, "sh", command]);
    return result.code === 0 ? result.stdout.replace(/\n$/, "") : null;
  }

  /** 127.0.0.1:<returned port> here reaches 127.0.0.1:remotePort there, over this connection. */
  forwardPort(remotePort: number): Promise<PortForward> {
    return forwardPort(this.connection, remotePort);
  }

  close(): void {
    this.connection.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

}
