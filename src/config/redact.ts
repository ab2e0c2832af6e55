import { PROTOTYPE_KEYS, type CsmConfig } from "./schema.ts";

// What the API may show of the config: everything but secrets. Host `env` values may
// hold tokens, and any field named like a key, token, secret or password is one.

export const REDACTED = "<redacted>";
const SECRET_NAME = /(key|token|secret|password|passphrase)$/i;

export function redactConfig(config: CsmConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (SECRET_NAME.test(key)) copy[key] = REDACTED;
  for (const host of Object.values((copy.hosts ?? {}) as Record<string, { env?: Record<string, string> }>)) {
    if (host.env) for (const name of Object.keys(host.env)) host.env[name] = REDACTED;
  }
  return copy;
}

/**
 * A JSON merge patch (RFC 7396: null removes, objects merge, the rest replaces), in which
 * the REDACTED placeholder means "keep what is stored", so a client can send back what it
 * was shown without wiping secrets.
 */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    // Requests are checked before they get here; this keeps a slip from reaching Object.prototype.
    if (PROTOTYPE_KEYS.includes(key)) throw new Error(`a merge patch may not set ${JSON.stringify(key)}`);
    if (value === REDACTED) continue;
    if (value === null) delete target[key];
    else if (typeof value === "object" && !Array.isArray(value) && typeof target[key] === "object" && target[key] !== null && !Array.isArray(target[key])) {
      mergePatch(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else target[key] = structuredClone(value);
  }
}
