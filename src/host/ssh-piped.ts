import type { ClientChannel } from "ssh2";
import type { PipedProcess } from "./runner.ts";
import type { SshConnection } from "./ssh-connection.ts";

// A PipedProcess whose process runs on the SSH host, on an exec channel of the pooled
// connection. The Runner hands the process back synchronously, but the channel opens
// later: writes, closeStdin and kill wait in order until it does.
// What differs from a local child, as the `ssh` client does it: `pid` is -1 (the remote
// pid is not known), and a connection that cannot be made or is lost ends the process
// with exit code 255 and the reason on its stderr.

const LOST_CONNECTION_CODE = 255;

export function spawnPipedOver(connection: SshConnection, command: string, program: string): PipedProcess {
  let channel: ClientChannel | null = null;
  let ended = false;
  const queued: ((open: ClientChannel) => void)[] = [];
  const whenOpen = (action: (open: ClientChannel) => void) => {
    if (ended) return;
    if (channel) action(channel);
    else queued.push(action);
  };

  let stdoutController!: ReadableStreamDefaultController<Uint8Array>;
  let stderrController!: ReadableStreamDefaultController<Uint8Array>;
  const stdout = new ReadableStream<Uint8Array>({ start: (controller) => void (stdoutController = controller) });
  const stderr = new ReadableStream<Uint8Array>({ start: (controller) => void (stderrController = controller) });
  const closeStreams = () => {
    for (const controller of [stdoutController, stderrController]) {
      try {
        controller.close();
      } catch {
        // Already closed.
      }
    }
  };

  let status: { code: number | null; signal: string | null } = { code: null, signal: null };
  const exited = connection
    .withChannel<{ code: number | null; signal: string | null }>(command, `running ${program}`, (open, settle) => {
      channel = open;
      open.on("data", (chunk: Buffer) => stdoutController.enqueue(new Uint8Array(chunk)));
      open.stderr.on("data", (chunk: Buffer) => stderrController.enqueue(new Uint8Array(chunk)));
      open.on("exit", (code: number | null, signal?: string) => {
        status = code === null ? { code: null, signal: signal ? `SIG${signal.replace(/^SIG/, "")}` : null } : { code, signal: null };
      });
      open.on("close", () => {
        ended = true;
        closeStreams();
        settle(status);
      });
      for (const action of queued.splice(0)) action(open);
    })
    .catch((error: Error) => {
      ended = true;
      stderrController.enqueue(new TextEncoder().encode(`${error.message}\n`));
      closeStreams();
      return { code: LOST_CONNECTION_CODE, signal: null };
    });

  return {
    pid: -1,
    write: (text) => whenOpen((open) => void open.write(text)),
    closeStdin: () => whenOpen((open) => void open.end()),
    stdout,
    stderr,
    exited,
    kill: (signal = "SIGTERM") =>
      whenOpen((open) => {
        // OpenSSH delivers "signal" requests to the program's process group, except for
        // root logins (no privilege separation), where only closing the channel stops it.
        open.signal(String(signal).replace(/^SIG/, ""));
      }),
  };
}
