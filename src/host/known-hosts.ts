import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { shellQuote } from "./remote-command.ts";

// Host keys are checked against the user's OpenSSH known_hosts, the same file `ssh`
// trusts. csm never adds to it: an unknown or changed key is refused with the command
// that fixes it, so the person decides after checking the fingerprint.

export type KnownHostMarker = "revoked" | "cert-authority" | null;

export interface KnownHostEntry {
  marker: KnownHostMarker;
  /** The comma-separated patterns of the line: names, `[host]:port`, `*`/`?` globs, `!negations`, `|1|salt|hash`. */
  patterns: string[];
  keyType: string;
  /** The key blob in SSH wire format, as ssh2 hands it to a host verifier. */
  key: Buffer;
  line: number;
}

/** Parses known_hosts text; lines it cannot read are skipped, as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === "" || fields[0]!.startsWith("#")) return;
    let marker: KnownHostMarker = null;
    if (fields[0]!.startsWith("@")) {
      const name = fields.shift()!.slice(1);
      if (name !== "revoked" && name !== "cert-authority") return;
      marker = name;
    }
    const [patterns, keyType, base64] = fields;
    if (!patterns || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return;
    entries.push({ marker, patterns: patterns.split(","), keyType, key: Buffer.from(base64, "base64"), line: index + 1 });
  });
  return entries;
}

/** How ssh names a host in known_hosts: bare on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${regex}$`, "i").test(name);
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, version, salt, hash] = pattern.split("|");
  if (version !== "1" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether a line's patterns name this host: one positive match and no negated one. */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  let matched = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith("|")) {
      matched ||= hashedMatches(pattern, name);
    } else if (pattern.startsWith("!")) {
      if (globMatches(pattern.slice(1), name)) return false;
    } else {
      matched ||= globMatches(pattern, name);
    }
  }
  return matched;
}

/** The fingerprint `ssh-keygen -lf` and `ssh` print: SHA256, base64 without padding. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside an SSH wire-format key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString("latin1");
}

export type HostKeyProblem = "unknown" | "changed" | "revoked";

/** A host key csm will not accept; the message says what to check and what to run. */
export class HostKeyError extends Error {
  constructor(
    readonly problem: HostKeyProblem,
    readonly host: string,
    readonly port: number,
    readonly offeredFingerprint: string,
    message: string,
  ) {
    super(message);
    this.name = "HostKeyError";
  }
}

export type HostKeyCheck = { ok: true } | { ok: false; error: HostKeyError };

/** Key types known for this host, best first, so the server is asked for a key we can check. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((entry) => entry.marker === null && entryMatchesHost(entry, host, port)).map((entry) => entry.keyType);
  return [...new Set(types)];
}

export function checkHostKey(entries: readonly KnownHostEntry[], knownHostsPath: string, host: string, port: number, key: Buffer): HostKeyCheck {
  const name = knownHostsName(host, port);
  const offered = fingerprint(key);
  const type = keyTypeOf(key);
  const shortType = type.replace(/^ssh-/, "").replace(/^ecdsa-sha2-nistp\d+$/, "ecdsa");
  const file = shellQuote(knownHostsPath);
  const refuse = (problem: HostKeyProblem, message: string): HostKeyCheck => ({ ok: false, error: new HostKeyError(problem, host, port, offered, message) });

  // @revoked applies to any host the line names, whatever else the file says.
  const revoked = entries.find((entry) => entry.marker === "revoked" && entry.key.equals(key) && entryMatchesHost(entry, host, port));
  if (revoked) return refuse("revoked", `host key for ${name} (${type} ${offered}) is marked @revoked in ${knownHostsPath} line ${revoked.line}; refusing to connect.`);

  // @cert-authority lines vouch for host certificates, which csm does not use; they are skipped.
  const forHost = entries.filter((entry) => entry.marker === null && entryMatchesHost(entry, host, port));
  if (forHost.some((entry) => entry.key.equals(key))) return { ok: true };

  const sameType = forHost.find((entry) => entry.keyType === type);
  if (sameType) {
    return refuse(
      "changed",
      `host key CHANGED for ${name}: ${knownHostsPath} line ${sameType.line} has ${type} ${fingerprint(sameType.key)}, the server now offers ${offered}. ` +
        `Someone may be intercepting the connection, or the host was reinstalled. Refusing to connect. ` +
        `If you have confirmed on the host that ${offered} is its new key, replace the old one: ` +
        `ssh-keygen -R ${shellQuote(name)} -f ${file} && ssh-keyscan -p ${port} -t ${shortType} ${shellQuote(host)} >> ${file}`,
    );
  }
  const otherTypes = forHost.length > 0 ? ` (${knownHostsPath} knows only ${[...new Set(forHost.map((entry) => entry.keyType))].join(", ")} keys for it)` : "";
  return refuse(
    "unknown",
    `host key for ${name} is not in ${knownHostsPath}${otherTypes}; the server offers ${type} ${offered}. ` +
      `Check that fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_${shortType}_key.pub), then trust it with: ` +
      `ssh-keyscan -p ${port} -t ${shortType} ${shellQuote(host)} >> ${file}`,
  );
}

/** Reads the file now; a missing file is an empty one (every host unknown). */
export function readKnownHosts(knownHostsPath: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(knownHostsPath, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * An ssh2 `hostVerifier`: true only for a key the known_hosts file lists for this host.
 * ssh2 reports a refusal as a bare "verification failed", so the reason goes to `onRefused`.
 */
export function hostKeyVerifier(knownHostsPath: string, host: string, port: number, onRefused?: (error: HostKeyError) => void): (key: Buffer) => boolean {
  return (key) => {
    const check = checkHostKey(readKnownHosts(knownHostsPath), knownHostsPath, host, port, key);
    if (!check.ok) onRefused?.(check.error);
    return check.ok;
  };
}
