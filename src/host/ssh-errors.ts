// The failures a person can meet when csm talks to an SSH host, each with a message
// that names the host and says what to do next. Host-key refusals are HostKeyError
// (known-hosts.ts).

/** Where a connection goes, as the messages show it: `name (user@host:port)`. */
export interface SshTarget {
  name: string;
  host: string;
  port: number;
  user: string;
}

export const describeTarget = (target: SshTarget) => `${target.name} (${target.user}@${target.host}:${target.port})`;

export class SshError extends Error {
  constructor(
    readonly hostName: string,
    message: string,
  ) {
    super(message);
    this.name = "SshError";
  }
}

/** Nothing answered, or not as SSH, within the connect timeout. */
export class SshUnreachableError extends SshError {
  constructor(target: SshTarget, readonly reason: string) {
    super(target.name, `host ${describeTarget(target)} is unreachable: ${reason}`);
    this.name = "SshUnreachableError";
  }
}

/** The server answered but accepted none of the keys csm offered. */
export class SshAuthError extends SshError {
  constructor(target: SshTarget, detail: string) {
    super(target.name, `cannot log in to ${describeTarget(target)}: ${detail}`);
    this.name = "SshAuthError";
  }
}

/** The connection went away while a command was using it; the next call reconnects. */
export class SshConnectionLostError extends SshError {
  constructor(target: SshTarget, what: string, cause: string) {
    super(target.name, `connection to ${describeTarget(target)} was lost while ${what}: ${cause}; the next command reconnects`);
    this.name = "SshConnectionLostError";
  }
}
