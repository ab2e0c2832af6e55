import { readFileSync } from "node:fs";
import { utils, type AgentAuthMethod, type PublicKeyAuthMethod } from "ssh2";

// Which keys csm offers an SSH host, as `ssh -o BatchMode=yes` would: the agent's keys,
// then the configured identityFile, or else the default keys under ~/.ssh. A key that
// needs a passphrase is never offered (csm has no terminal to ask on); it is named in
// the error instead, with the fix.

/** OpenSSH's order for the keys it finds by itself, without -i or IdentityFile. */
export const DEFAULT_IDENTITY_NAMES = ["id_rsa", "id_ecdsa", "id_ed25519"];

export interface UsableKey {
  path: string;
  key: Buffer;
}

export interface Identities {
  keys: UsableKey[];
  /** Keys found but not offered, with why (a passphrase, a format ssh2 cannot read). */
  skipped: string[];
}

type ReadResult = { key: UsableKey } | { skipped: string } | null;

/** Reads one private key; null when the file does not exist. */
export function readIdentity(path: string): ReadResult {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    return { skipped: `${path} cannot be read (${code ?? (error as Error).message})` };
  }
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) {
    if (/encrypted|passphrase/i.test(parsed.message)) return { skipped: `${path} is protected by a passphrase and csm never prompts: add it to your agent (ssh-add ${path})` };
    return { skipped: `${path} is not a private key csm can use (${parsed.message})` };
  }
  return { key: { path, key } };
}

export function defaultIdentities(home: string): Identities {
  const found: Identities = { keys: [], skipped: [] };
  for (const name of DEFAULT_IDENTITY_NAMES) {
    const result = readIdentity(`${home}/.ssh/${name}`);
    if (result === null) continue;
    if ("key" in result) found.keys.push(result.key);
    else found.skipped.push(result.skipped);
  }
  return found;
}

/** ssh2's authHandler list: the agent first, then each key, in order; nothing interactive. */
export function authMethods(username: string, agent: string | undefined, keys: UsableKey[]): (AgentAuthMethod | PublicKeyAuthMethod)[] {
  const viaAgent: AgentAuthMethod[] = agent ? [{ type: "agent", username, agent }] : [];
  return [...viaAgent, ...keys.map(({ key }): PublicKeyAuthMethod => ({ type: "publickey", username, key }))];
}
