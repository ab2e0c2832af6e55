import type { PipedProcess, Runner } from "../host/runner.ts";
import { ControlReader, controlCommandLine, type ControlEvent } from "./tmux-control-protocol.ts";

// Queries over one long-lived tmux control-mode client, for a process that asks tmux
// often (the hub answers every `csm list` and dashboard refresh). Each query is a round
// trip on a socket tmux already has open: ~0.6 ms for 100 panes, where starting a tmux
// client per query costs ~3 ms (see `bun run bench list`). Answers come from tmux at the
// moment of the query, never from a cache.
//
// A control client must be attached to a session. It attaches to one of the caller's own
// sessions (never someone else's), with ignore-size so it cannot change a window's size
// and no-output so tmux does not send it pane output. When that session ends, tmux
// detaches the client; the next query finds the channel closed, is answered the ordinary
// way, and a new channel opens on another session.

const QUERY_TIMEOUT_MS = 5_000;
const CLOSE_GRACE_MS = 1_000;

interface Waiter {
  resolve(lines: string[]): void;
  reject(error: Error): void;
}

/** One `tmux -C attach-session` client; its queries are answered in the order sent. */
export class TmuxControlChannel {
  private readonly reader = new ControlReader();
  private readonly waiters: Waiter[] = [];
  private closedBecause: string | null = null;

  private constructor(private readonly child: PipedProcess) {
    void this.readStdout();
    void this.drain(child.stderr);
    void child.exited.then(({ code, signal }) => this.fail(`tmux control client exited (${signal ?? `status ${code}`})`));
  }

  /** `tmuxArgv` is how this tmux is called (`tmux -L socket`), `session` an exact session name. */
  static open(runner: Runner, tmuxArgv: readonly string[], session: string, env?: Record<string, string>): TmuxControlChannel {
    const [program, ...rest] = tmuxArgv;
    const argv = [program!, "-u", ...rest, "-C", "attach-session", "-t", `=${session}`, "-f", "ignore-size,no-output"];
    return new TmuxControlChannel(runner.spawnPiped(argv, { env }));
  }

  get closed(): boolean {
    return this.closedBecause !== null;
  }

  /** The reply's lines; rejects when tmux reports an error or the channel closes first. */
  query(args: readonly string[]): Promise<string[]> {
    if (this.closedBecause) return Promise.reject(new Error(this.closedBecause));
    const line = controlCommandLine(args);
    return new Promise<string[]>((resolve, reject) => {
      // A tmux server that stops answering must not hold the caller forever.
      const timer = setTimeout(() => this.fail(`tmux control: no reply in ${QUERY_TIMEOUT_MS} ms`), QUERY_TIMEOUT_MS);
      const done = () => clearTimeout(timer);
      this.waiters.push({
        resolve: (lines) => (done(), resolve(lines)),
        reject: (error) => (done(), reject(error)),
      });
      try {
        this.child.write(line);
      } catch (error) {
        this.fail(`tmux control: cannot write: ${(error as Error).message}`);
      }
    });
  }

  /**
   * Ends the client and resolves once it has exited. A tmux client told to go while its
   * server is itself shutting down can wait on the server forever (and the server on it),
   * so one that is still there after a second is killed.
   */
  async close(): Promise<void> {
    this.fail("tmux control channel closed");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), CLOSE_GRACE_MS);
    await this.child.exited;
    clearTimeout(killer);
  }

  private handle(event: ControlEvent): void {
    if (event.kind === "notification") {
      if (event.line === "%exit" || event.line.startsWith("%exit ")) this.fail(`tmux detached the control client: ${event.line}`);
      return;
    }
    const waiter = this.waiters.shift();
    if (!waiter) return;
    if (event.ok) waiter.resolve(event.lines);
    else waiter.reject(new Error(`tmux: ${event.lines.join(" ").trim() || "command failed"}`));
  }

  /** Closes for good: pending queries fail (their callers ask tmux another way). */
  private fail(reason: string): void {
    if (this.closedBecause) return;
    this.closedBecause = reason;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(reason));
    // Ending stdin detaches the client; the kill covers a client that does not notice.
    this.child.closeStdin();
    this.child.kill("SIGTERM");
  }

  private async readStdout(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.child.stdout) {
        for (const event of this.reader.push(decoder.decode(chunk, { stream: true }))) this.handle(event);
      }
    } catch {
      // The stream breaks when the process is killed; fail() below says why.
    }
    this.fail("tmux control client closed its output");
  }

  private async drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    try {
      for await (const _ of stream);
    } catch {
      // Nothing to keep: an exit is reported through `exited`.
    }
  }
}

/** A channel that is reopened on one of the caller's sessions after tmux closes it. */
export class ControlQueries {
  private channel: TmuxControlChannel | null = null;
  private answered = 0;
  /** Channels in a row that closed without answering: a tmux without control mode, say. */
  private failedOpens = 0;
  private stopped = false;

  constructor(
    private readonly openOn: (session: string) => TmuxControlChannel,
    private readonly ownSession: (session: string) => boolean,
  ) {}

  /** The reply, or null when there is no open channel or it failed: ask tmux the ordinary way. */
  async query(args: readonly string[]): Promise<string[] | null> {
    const channel = this.channel;
    if (!channel || channel.closed) return null;
    try {
      const lines = await channel.query(args);
      this.answered++;
      this.failedOpens = 0;
      return lines;
    } catch {
      return null;
    }
  }

  /** After an ordinary query: attach a new channel to one of the caller's sessions seen in it. */
  reopen(sessions: readonly string[]): void {
    if (this.stopped || (this.channel && !this.channel.closed)) return;
    if (this.channel && this.answered === 0) this.failedOpens++;
    if (this.failedOpens >= MAX_FAILED_OPENS) return;
    const session = sessions.find(this.ownSession);
    if (session === undefined) return;
    this.answered = 0;
    this.channel = this.openOn(session);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.channel?.close();
  }
}

const MAX_FAILED_OPENS = 3;
