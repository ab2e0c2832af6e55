import { timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

// The API token: 32 random bytes, hex, in a 0600 file in the config dir. Made on the
// hub's first start; every route but /api/health needs it.

export function readToken(path: string): string | null {
  try {
    const token = readFileSync(path, "utf8").trim();
    return token === "" ? null : token;
  } catch {
    return null;
  }
}

export function ensureToken(path: string): string {
  return readToken(path) ?? writeNewToken(path);
}

export function writeNewToken(path: string): string {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return token;
}

/** Constant-time comparison, so response timing does not leak how much of a guess was right. */
export function secretsMatch(given: string | null | undefined, expected: string | null | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export function bearer(header: string | null): string | null {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}
