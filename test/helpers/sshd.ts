import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { appendFile, chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { type Server, type Socket, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./sandbox.ts";

// A private OpenSSH server for one test: Debian's sshd on 127.0.0.1 with its own host
// key, user key, port, config and pid file, all in a temp dir, run in the foreground
// (-D) so the test owns the process. Nothing outside the temp dir changes, except that
// /run/sshd (sshd's privilege-separation directory) is created when it is missing.

const SSHD = "/usr/sbin/sshd";

export interface Sshd extends AsyncDisposable {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The user the test runs as: sshd logs in as this user. */
  readonly user: string;
  /** Private key (ed25519, no passphrase) that sshd accepts. */
  readonly identityFile: string;
  /** A known_hosts holding `[127.0.0.1]:PORT` with this server's key. */
  readonly knownHostsPath: string;
  /** `ssh-ed25519 AAAA…` (type and base64, no comment). */
  readonly hostPublicKey: string;
  /** The temp dir everything lives in; tests may create their own files under it. */
  readonly root: string;
  /** What a client process should run with: its own HOME (with .ssh), no agent. */
  readonly env: Record<string, string>;
  /** Adds `[127.0.0.1]:port` with this server's key to known_hosts (for a proxy in front of it). */
  trust(port: number): Promise<void>;
  /** The config and options an SshHost needs to reach this server as `port` (default: sshd's own). */
  client(port?: number): { config: { host: string; port: number; user: string; identityFile: string }; options: { knownHostsPath: string; agent: null; homeDir: string } };
  /** Stops the server (and the connections it serves); the port stays reserved for `start`. */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same keys. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A port free right now, for a server the test starts later. */
export { freePort } from "./sandbox.ts";

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const child = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, output: stdout + stderr };
}

async function keygen(path: string, comment: string): Promise<void> {
  const result = await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
  if (result.code !== 0) throw new Error(`ssh-keygen failed: ${result.output}`);
}

/** Resolves once something accepts TCP connections on the port and sends an SSH banner. */
async function waitForBanner(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`sshd exited before it listened on port ${port}:\n${log()}`);
    const banner = await new Promise<boolean>((resolve) => {
      Bun.connect({
        hostname: "127.0.0.1",
        port,
        socket: {
          data: (socket, data) => {
            resolve(data.toString().startsWith("SSH-"));
            socket.end();
          },
          connectError: () => resolve(false),
          error: () => resolve(false),
          close: () => resolve(false),
        },
      }).catch(() => resolve(false));
    });
    if (banner) return;
    await Bun.sleep(20);
  }
  throw new Error(`sshd did not answer on port ${port} within 10 s:\n${log()}`);
}

/** Resolves once `path` exists (a socket or file another process creates). */
export async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await Bun.sleep(10);
  }
}

/** Pids whose parent is `pid`: the per-connection processes our sshd forked. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

export async function startSshd(): Promise<Sshd> {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const root = await realpath(await mkdtemp(join(tmpdir(), "csm-sshd-")));
  try {
    return await setUpSshd(root);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function setUpSshd(root: string): Promise<Sshd> {
  const home = join(root, "home");
  const sshDir = join(home, ".ssh");
  await mkdir(sshDir, { recursive: true, mode: 0o700 });

  const hostKey = join(root, "ssh_host_ed25519_key");
  const identityFile = join(sshDir, "id_ed25519");
  await Promise.all([keygen(hostKey, "csm-test-host"), keygen(identityFile, "csm-test-user")]);
  const authorizedKeys = join(root, "authorized_keys");
  await writeFile(authorizedKeys, await readFile(`${identityFile}.pub`, "utf8"), { mode: 0o600 });
  const hostPublicKey = (await readFile(`${hostKey}.pub`, "utf8")).trim().split(/\s+/).slice(0, 2).join(" ");

  const port = freePort();
  const config = join(root, "sshd_config");
  await writeFile(
    config,
    [
      "ListenAddress 127.0.0.1",
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(root, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      // The tests run as root in the dev container; a key is still required.
      "PermitRootLogin prohibit-password",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const check = await run([SSHD, "-t", "-f", config]);
  if (check.code !== 0) throw new Error(`sshd refuses the test config ${config}:\n${check.output}`);

  const knownHostsPath = join(sshDir, "known_hosts");
  await writeFile(knownHostsPath, `[127.0.0.1]:${port} ${hostPublicKey}\n`, { mode: 0o600 });
  await chmod(identityFile, 0o600);

  let server: ReturnType<typeof Bun.spawn<"ignore", "ignore", "pipe">> | null = null;
  let log = "";

  async function start(): Promise<void> {
    if (server) return;
    log = "";
    const child = Bun.spawn([SSHD, "-D", "-e", "-f", config], { stdin: "ignore", stdout: "ignore", stderr: "pipe", env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
    server = child;
    let exited = false;
    void child.exited.then(() => (exited = true));
    // Drain stderr so sshd never blocks on a full pipe, and keep it for error messages.
    void (async () => {
      for await (const chunk of child.stderr) log += new TextDecoder().decode(chunk);
    })();
    try {
      await waitForBanner(port, () => exited, () => log);
    } catch (error) {
      await kill();
      throw error;
    }
  }

  async function kill(): Promise<void> {
    const child = server;
    if (!child) return;
    server = null;
    // sshd -D does not end the connections it forked when it stops; they are ours, so end them too.
    for (const pid of childrenOf(child.pid)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    child.kill("SIGTERM");
    await child.exited;
  }

  // Bun's os.userInfo() answers "unknown" for the name in some containers; id asks NSS.
  const user = (await run(["id", "-un"])).output.trim();
  await start();
  const env = { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", USER: user };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kill();
    await rm(root, { recursive: true, force: true });
  };
  return {
    host: "127.0.0.1",
    port,
    user,
    identityFile,
    knownHostsPath,
    hostPublicKey,
    root,
    env,
    trust: (extraPort) => appendFile(knownHostsPath, `[127.0.0.1]:${extraPort} ${hostPublicKey}\n`),
    client: (clientPort = port) => ({
      config: { host: "127.0.0.1", port: clientPort, user, identityFile },
      options: { knownHostsPath, agent: null, homeDir: home },
    }),
    kill,
    start,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

export interface TcpProxy extends AsyncDisposable {
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly accepted: number;
  /** While true, new connections are accepted and then never answered (a hung host). */
  silent: boolean;
  /** Cuts every open connection, as a network failure would. */
  dropAll(): void;
  /** Stops relaying on every open connection without closing it: a peer that vanished silently. */
  freezeAll(): void;
  stop(): Promise<void>;
}

/** A TCP relay to 127.0.0.1:targetPort that counts, cuts or silences connections. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const relays = new Set<[Socket, Socket]>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  let accepted = 0;
  const proxy = {
    silent: false,
    get accepted() {
      return accepted;
    },
  };
  const server: Server = createServer((incoming) => {
    accepted++;
    track(incoming);
    if (proxy.silent) return;
    const outgoing = connect(targetPort, "127.0.0.1");
    track(outgoing);
    incoming.pipe(outgoing).pipe(incoming);
    const relay: [Socket, Socket] = [incoming, outgoing];
    relays.add(relay);
    incoming.on("close", () => relays.delete(relay));
    incoming.on("close", () => outgoing.destroy());
    outgoing.on("close", () => incoming.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const freezeAll = () => {
    for (const [incoming, outgoing] of relays) {
      incoming.unpipe(outgoing);
      outgoing.unpipe(incoming);
      incoming.pause();
      outgoing.pause();
    }
  };
  const stop = async () => {
    dropAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return Object.assign(proxy, { port, dropAll, freezeAll, stop, [Symbol.asyncDispose]: stop });
}
