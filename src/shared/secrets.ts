import { timingSafeEqual } from "node:crypto";

// Checking a bearer secret: the hub's API token, a session's agent secret, a bridge's hook secret.

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
