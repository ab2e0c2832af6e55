import { Client, type ClientChannel, type ConnectConfig } from "ssh2";
import { type HostKeyError, hostKeyVerifier, knownKeyTypes, readKnownHosts } from "./known-hosts.ts";
import { DEFAULT_IDENTITY_NAMES, authMethods, defaultIdentities, readIdentity, type Identities } from "./ssh-identities.ts";
import { SshAuthError, SshConnectionLostError, SshError, type SshTarget, SshUnreachableError, describeTarget } from "./ssh-errors.ts";

// One ssh2 connection per host, opened on first use and shared by every command on
// that host (and, later, the hub's port forward). When it drops, whatever was using it fails with
// SshConnectionLostError and the next call opens a new one; nothing needs restarting.

export interface SshConnectionOptions {
  knownHostsPath: string;
  /** The whole connect, TCP to authenticated, must finish within this. */
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** ssh-agent socket path (SSH_AUTH_SOCK), or undefined for none. */
  agent: string | undefined;
  identityFile: string | undefined;
  /** Where the default keys (~/.ssh/id_*) are looked for when no identityFile is set. */
  homeDir: string;
  /** sshd's MaxSessions (10 by default) caps channels per connection; stay below it. */
  maxChannels: number;
}

/** A counter of free channel slots; callers beyond it wait in order. */
class ChannelSlots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/** The connection failed before the server started the command: safe to try once more. */
class NotStarted extends Error {
  constructor(override readonly cause: string) {
    super(cause);
  }
}

// OpenSSH names a key type in known_hosts; ssh2 negotiates signature algorithms.
const ALGORITHMS_FOR_KEY_TYPE: Record<string, string[]> = {
  "ssh-ed25519": ["ssh-ed25519"],
  "ecdsa-sha2-nistp256": ["ecdsa-sha2-nistp256"],
  "ecdsa-sha2-nistp384": ["ecdsa-sha2-nistp384"],
  "ecdsa-sha2-nistp521": ["ecdsa-sha2-nistp521"],
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256"],
};

export class SshConnection {
  private pending: Promise<Client> | null = null;
  private live: Client | null = null;
  /** What to fail when a connection drops: each running command registers under its client. */
  private users = new Map<Client, Set<(cause: string) => void>>();
  private readonly slots: ChannelSlots;
  private closed = false;

  constructor(
    readonly target: SshTarget,
    private readonly options: SshConnectionOptions,
  ) {
    this.slots = new ChannelSlots(options.maxChannels);
  }

  /** The live connection, opening it when there is none. */
  client(): Promise<Client> {
    if (this.closed) return Promise.reject(new SshError(this.target.name, `the connection to ${describeTarget(this.target)} was closed by csm`));
    this.pending ??= this.connect().catch((error) => {
      this.pending = null;
      throw error;
    });
    return this.pending;
  }

  /**
   * Opens an exec channel for `command` and hands it to `use`, which settles the promise.
   * If the connection turns out dead before the command started (a drop not yet noticed),
   * it is retried once on a new connection; once started, a drop rejects with
   * SshConnectionLostError naming `what`.
   */
  async withChannel<T>(command: string, what: string, use: (channel: ClientChannel, settle: (value: T) => void, fail: (error: Error) => void) => void): Promise<T> {
    const release = await this.slots.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        const client = await this.client();
        try {
          return await this.openChannel(client, command, what, use);
        } catch (error) {
          if (!(error instanceof NotStarted)) throw error;
          if (attempt > 1) throw new SshConnectionLostError(this.target, what, error.cause);
        }
      }
    } finally {
      release();
    }
  }

  private openChannel<T>(client: Client, command: string, what: string, use: (channel: ClientChannel, settle: (value: T) => void, fail: (error: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const registry = this.users.get(client);
      if (!registry) return reject(new NotStarted("the connection had closed"));
      let done = false;
      let started = false;
      const finish = (action: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(openTimer);
        registry.delete(lost);
        action();
      };
      const lost = (cause: string) => finish(() => reject(started ? new SshConnectionLostError(this.target, what, cause) : new NotStarted(cause)));
      registry.add(lost);
      // A connection that died silently (a NAT forgot it, a machine froze) never answers;
      // the host counts as unreachable after the connect timeout, not after keepalives.
      const openTimer = setTimeout(() => {
        finish(() => reject(new SshUnreachableError(this.target, `no answer within ${this.options.connectTimeoutMs} ms on the open connection`)));
        this.dropped(client, "the server stopped answering");
      }, this.options.connectTimeoutMs);
      try {
        client.exec(command, (error, channel) => {
          if (error) return finish(() => reject(new SshError(this.target.name, `cannot start ${what.replace(/^running /, "")} on ${describeTarget(this.target)}: ${error.message}`)));
          started = true;
          clearTimeout(openTimer);
          use(
            channel,
            (value) => finish(() => resolve(value)),
            (failure) => finish(() => reject(failure)),
          );
        });
      } catch (error) {
        finish(() => reject(new NotStarted((error as Error).message)));
      }
    });
  }

  close(): void {
    this.closed = true;
    this.pending = null;
    this.live?.end();
    this.live = null;
  }

  private connect(): Promise<Client> {
    const { target, options } = this;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      agent: options.agent,
      // No password and no keyboard-interactive: csm has no terminal to prompt on.
      tryKeyboard: false,
    };
    const preferred = knownKeyTypes(readKnownHosts(options.knownHostsPath), target.host, target.port).flatMap((type) => ALGORITHMS_FOR_KEY_TYPE[type] ?? []);
    if (preferred.length > 0) config.algorithms = { serverHostKey: { prepend: preferred } } as ConnectConfig["algorithms"];

    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let hostKeyError: HostKeyError | null = null;
      let offered: string[] = [];
      let ready = false;
      const fail = (error: Error) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        client.destroy();
        reject(error);
      };
      // ssh2's readyTimeout starts after the DNS lookup; this one covers everything.
      const timer = setTimeout(() => fail(new SshUnreachableError(target, `no SSH answer within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);

      client.on("ready", () => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        if (this.closed) {
          client.end();
          return reject(new SshError(target.name, `the connection to ${describeTarget(target)} was closed by csm`));
        }
        // Small request/response packets: without this, Nagle and delayed ACKs add ~40 ms per step.
        client.setNoDelay(true);
        this.users.set(client, new Set());
        this.live = client;
        resolve(client);
      });
      client.on("error", (error: Error & { level?: string; code?: string }) => {
        if (!ready) fail(hostKeyError ?? this.explain(error, offered));
        else this.dropped(client, error.message);
      });
      client.on("close", () => {
        if (!ready) fail(hostKeyError ?? new SshUnreachableError(target, "the connection closed during the SSH handshake"));
        else this.dropped(client, "the connection closed");
      });

      try {
        config.hostVerifier = hostKeyVerifier(options.knownHostsPath, target.host, target.port, (error) => (hostKeyError = error));
        const identities = this.identities();
        offered = [options.agent ? `ssh-agent at ${options.agent}` : null, ...identities.keys.map((key) => `identity file ${key.path}`)].filter((x) => x !== null);
        if (offered.length === 0) throw this.nothingToOffer(identities);
        config.authHandler = authMethods(target.user, options.agent, identities.keys);
        client.connect(config);
      } catch (error) {
        fail(error instanceof SshError ? error : this.explain(error as Error, offered));
      }
    });
  }

  /** The configured identityFile (which must be usable), or else the default keys. */
  private identities(): Identities {
    const { identityFile, homeDir } = this.options;
    if (!identityFile) return defaultIdentities(homeDir);
    const result = readIdentity(identityFile);
    if (result === null) throw new SshAuthError(this.target, `cannot read identity file ${identityFile}: ENOENT`);
    if ("skipped" in result) throw new SshAuthError(this.target, `identity file ${result.skipped}`);
    return { keys: [result.key], skipped: [] };
  }

  private nothingToOffer(identities: Identities): SshAuthError {
    const why = identities.skipped.length > 0 ? `; ${identities.skipped.join("; ")}` : "";
    return new SshAuthError(
      this.target,
      `no ssh-agent (SSH_AUTH_SOCK is not set), no identity file and no usable default key (${DEFAULT_IDENTITY_NAMES.map((name) => `~/.ssh/${name}`).join(", ")})${why}: start an agent with your key, or set identityFile for this host`,
    );
  }

  private explain(error: Error & { level?: string; code?: string }, offered: string[]): Error {
    const { target, options } = this;
    if (error.level === "client-authentication") return new SshAuthError(target, `the server accepted no key offered (tried ${offered.join(" and ")}); check that its public key is in ~/.ssh/authorized_keys on the host`);
    if (error.level === "client-timeout") return new SshUnreachableError(target, `no SSH answer within ${options.connectTimeoutMs} ms`);
    const cause = error.code ? `${error.code} (${error.message})` : error.message;
    return new SshUnreachableError(target, cause);
  }

  private dropped(client: Client, cause: string): void {
    const registry = this.users.get(client);
    if (!registry) return;
    this.users.delete(client);
    if (this.live === client) {
      this.live = null;
      this.pending = null;
    }
    client.destroy();
    for (const lost of registry) lost(cause);
  }
}
