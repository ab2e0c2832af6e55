import { CsmError } from "../shared/errors.ts";
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
 * was shown without wiping secrets. A placeholder where nothing is stored (a host renamed
 * in the same patch) has nothing to keep: refused, never written as the secret's value.
 */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>, at = ""): void {
  for (const [key, value] of Object.entries(patch)) {
    // Requests are checked before they get here; this keeps a slip from reaching Object.prototype.
    if (PROTOTYPE_KEYS.includes(key)) throw new Error(`a merge patch may not set ${JSON.stringify(key)}`);
    const field = at ? `${at}.${key}` : key;
    if (value === REDACTED) {
      if (!Object.hasOwn(target, key)) {
        throw new CsmError("BadField", `${field} is "${REDACTED}", but no value is stored there to keep; send the value itself`, { data: { field } });
      }
      continue;
    }
    if (value === null) delete target[key];
    else if (isObject(value)) {
      // A new object is merged into an empty one, key by key, so a placeholder in it is seen.
      if (!isObject(target[key])) target[key] = {};
      mergePatch(target[key] as Record<string, unknown>, value, field);
    } else target[key] = structuredClone(value);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
