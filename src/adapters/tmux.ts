import type { Runner, RunResult } from "../host/runner.ts";
import { remoteCommand } from "../host/remote-command.ts";
import { withoutTmuxVariables } from "../shared/tmux-env.ts";
import { ControlQueries, TmuxControlChannel } from "./tmux-control.ts";
import { isNoServer, PANE_FORMAT, parsePanes, type PaneInfo } from "./tmux-format.ts";

// Every tmux call goes through here: it adds `-L <socket>` when one is set and uses
// exact targets (`=name`), because a bare `-t name` prefix-matches another session.

/** Attempts at new-session while a tmux server is on its way out. */
const SERVER_EXITING_RETRIES = 3;

export class TmuxError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    super(`tmux ${argv.join(" ")} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
    this.name = "TmuxError";
  }
}

export interface NewSessionSpec {
  session: string;
  window: string;
  cwd: string;
  /** Program and arguments, run without a shell. Must have at least two elements. */
  argv: readonly string[];
}

export class Tmux {
  /** Only on this machine: over SSH a call's env is added to the remote login's, and $TMUX is not there. */
  private readonly env: Record<string, string> | undefined;
  private control: ControlQueries | null = null;

  constructor(
    private readonly runner: Runner,
    readonly socket: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.env = runner.hostName === "local" ? withoutTmuxVariables(env) : undefined;
  }

  argv(args: readonly string[]): string[] {
    return this.socket ? ["tmux", "-L", this.socket, ...args] : ["tmux", ...args];
  }

  private async call(args: readonly string[], input?: string): Promise<RunResult> {
    const result = await this.runner.run(this.argv(args), { env: this.env, input });
    if (result.code !== 0) throw new TmuxError(args, result);
    return result;
  }

  async version(): Promise<string | null> {
    const result = await this.runner.run(["tmux", "-V"]).catch(() => null);
    return result && result.code === 0 ? result.stdout.trim() : null;
  }

  /**
   * For a long-lived process: answer listPanes over one tmux control client, attached to
   * a session whose name `ownSession` accepts, instead of starting tmux for every query.
   */
  keepControlChannel(ownSession: (session: string) => boolean): void {
    this.control ??= new ControlQueries((session) => TmuxControlChannel.open(this.runner, this.argv([]), session, this.env), ownSession);
  }

  /** Resolves once the control client has exited. */
  async closeControlChannel(): Promise<void> {
    const control = this.control;
    this.control = null;
    await control?.close();
  }

  /** Every pane of every session; empty when no server is running. */
  async listPanes(): Promise<PaneInfo[]> {
    const args = ["list-panes", "-a", "-F", PANE_FORMAT];
    const overControl = await this.control?.query(args);
    if (overControl) return parsePanes(overControl.join("\n"));
    // -u: without a UTF-8 locale (an SSH login, cron) tmux would print the field
    // separator U+241F as "_", and no line would parse.
    const argv = this.argv(args);
    argv.splice(1, 0, "-u");
    const result = await this.runner.run(argv, { env: this.env });
    if (result.code !== 0) {
      if (isNoServer(result.stderr)) return [];
      throw new TmuxError(args, result);
    }
    const panes = parsePanes(result.stdout);
    this.control?.reopen(panes.map((pane) => pane.session));
    return panes;
  }

  async hasSession(session: string): Promise<boolean> {
    const result = await this.runner.run(this.argv(["has-session", "-t", `=${session}`]), { env: this.env });
    return result.code === 0;
  }

  /**
   * tmux runs a lone argument through `sh -c`, so a one-element argv would become a shell
   * string. Refuse it: every program csm starts in a pane has arguments.
   */
  private commandArgs(argv: readonly string[]): string[] {
    if (argv.length < 2) throw new Error("tmux: a pane command needs at least two argv elements (a single one runs through sh -c)");
    return ["--", ...argv];
  }

  async newSession(spec: NewSessionSpec): Promise<void> {
    const args = ["new-session", "-d", "-s", spec.session, "-n", spec.window, "-c", spec.cwd, "-x", "200", "-y", "50", ...this.commandArgs(spec.argv)];
    // A server whose last session just ended is still exiting and drops the new client
    // ("server exited unexpectedly"); the next attempt starts a fresh server.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.call(args);
        return;
      } catch (error) {
        if (attempt === SERVER_EXITING_RETRIES || !(error instanceof TmuxError) || !/server exited unexpectedly/.test(error.message)) throw error;
        await Bun.sleep(50 * attempt);
      }
    }
  }

  /** Replaces the program of a window's pane (killing what runs there), without a shell. */
  async respawnPane(session: string, window: string, cwd: string, argv: readonly string[]): Promise<void> {
    await this.call(["respawn-pane", "-k", "-t", `=${session}:${window}`, "-c", cwd, ...this.commandArgs(argv)]);
  }

  /**
   * Pipes what a pane prints into `argv`'s stdin, replacing any pipe the pane had. tmux
   * runs a pipe's command through `sh -c`, so argv becomes one string, through the one
   * quoting function (every element a literal word, the program exec'ed).
   */
  async pipePane(session: string, window: string, argv: readonly string[]): Promise<void> {
    await this.call(["pipe-pane", "-O", "-t", `=${session}:${window}`, "--", remoteCommand(argv)]);
  }

  /** Types text into a pane as one bracketed paste, then presses Enter. */
  async pasteText(session: string, window: string, text: string): Promise<void> {
    // Unique even for two pastes in the same millisecond: a shared name would merge them or lose one.
    const buffer = `csm-paste-${process.pid}-${crypto.randomUUID()}`;
    // From stdin, not argv: a message may be larger than one argument can be (128 KiB on Linux).
    await this.call(["load-buffer", "-b", buffer, "-"], text);
    await this.call(["paste-buffer", "-p", "-d", "-b", buffer, "-t", `=${session}:${window}`]);
    await this.call(["send-keys", "-t", `=${session}:${window}`, "Enter"]);
  }

  /** Presses one key (tmux's name for it: Escape, Enter) in the window's pane. */
  async pressKey(session: string, window: string, key: string): Promise<void> {
    await this.call(["send-keys", "-t", `=${session}:${window}`, key]);
  }

  /** A new window running the user's default shell (no command given), with `env` added to its environment. */
  async newShellWindow(session: string, window: string, cwd: string, options: { env?: Record<string, string> } = {}): Promise<void> {
    const env = Object.entries(options.env ?? {}).flatMap(([variable, value]) => ["-e", `${variable}=${value}`]);
    await this.call(["new-window", "-d", "-t", `=${session}:`, "-n", window, "-c", cwd, ...env]);
  }

  /** Sets a variable in the session's environment, which windows made in it later start with. */
  async setSessionEnvironment(session: string, variable: string, value: string): Promise<void> {
    await this.call(["set-environment", "-t", `=${session}`, "--", variable, value]);
  }

  async setWindowOption(session: string, window: string, option: string, value: string): Promise<void> {
    await this.call(["set-option", "-w", "-t", `=${session}:${window}`, option, value]);
  }

  async killSession(session: string): Promise<void> {
    const args = ["kill-session", "-t", `=${session}`];
    const result = await this.runner.run(this.argv(args), { env: this.env });
    if (result.code !== 0 && !/can't find session|no server running|error connecting/i.test(result.stderr)) {
      throw new TmuxError(args, result);
    }
  }

  /** Where this server's socket lives, as tmux computes it for `-L` (for comparing with $TMUX). */
  socketPath(env: NodeJS.ProcessEnv, uid: number): string {
    return `${(env.TMUX_TMPDIR || "/tmp").replace(/\/+$/, "")}/tmux-${uid}/${this.socket ?? "default"}`;
  }
}
