import { createHash } from "node:crypto";
import type { WebSessionRecord, WebSessionStore } from "../store/web-sessions.ts";
import type { BrowserGuard } from "./browser-guard.ts";

// Logging a browser in without the API token ever reaching it: `csm web` asks the hub (with
// the token) for a one-time code, the page trades the code for an HttpOnly cookie. Codes live
// in memory only (2 minutes, once); browser sessions live in the store as hashes (30 days).

export const CODE_LIFETIME_MS = 2 * 60_000;
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60_000;
export const COOKIE_NAME = "csm_web";
/** Wrong codes allowed within FAILURE_WINDOW_MS before every login is refused for the rest of it. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 60_000;
/** Codes waiting to be used at once; the oldest goes when there would be more. */
const MAX_OPEN_CODES = 32;

export type LoginResult = { ok: true; cookie: string; expiresAt: number } | { ok: false; reason: "refused" | "rate-limited" };

const randomSecret = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");

export class WebLogin {
  /** sha256(code) → when it expires. */
  private readonly codes = new Map<string, number>();
  private failures: number[] = [];

  constructor(
    private readonly store: WebSessionStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A new one-time code (144 random bits), good for one login within CODE_LIFETIME_MS. */
  issueCode(): { code: string; expiresAt: string } {
    const now = this.clock();
    for (const [hash, expires] of this.codes) if (expires <= now) this.codes.delete(hash);
    while (this.codes.size >= MAX_OPEN_CODES) this.codes.delete(this.codes.keys().next().value!);
    const code = randomSecret(18);
    this.codes.set(hashOf(code), now + CODE_LIFETIME_MS);
    return { code, expiresAt: new Date(now + CODE_LIFETIME_MS).toISOString() };
  }

  /** Trades a code for a new browser session (the cookie's value); each code works once. */
  login(code: unknown): LoginResult {
    const now = this.clock();
    this.failures = this.failures.filter((at) => at > now - FAILURE_WINDOW_MS);
    // The code stays usable while logins are refused: its owner can try again in a minute.
    if (this.failures.length >= MAX_FAILURES) return { ok: false, reason: "rate-limited" };
    const hash = typeof code === "string" && code !== "" ? hashOf(code) : null;
    const expires = hash === null ? undefined : this.codes.get(hash);
    if (hash !== null) this.codes.delete(hash);
    if (expires === undefined || expires <= now) {
      this.failures.push(now);
      return { ok: false, reason: "refused" };
    }
    const cookie = randomSecret(32);
    this.store.pruneExpired(now);
    this.store.add(hashOf(cookie), now, now + SESSION_LIFETIME_MS);
    return { ok: true, cookie, expiresAt: now + SESSION_LIFETIME_MS };
  }

  /** The browser session a cookie value stands for, while it lasts. */
  session(cookie: string | null): WebSessionRecord | null {
    return cookie ? this.store.find(hashOf(cookie), this.clock()) : null;
  }

  logout(cookie: string | null): void {
    if (cookie) this.store.remove(hashOf(cookie));
  }

  /** Ends every browser session at once; returns how many there were. */
  revokeAll(): number {
    return this.store.removeAll();
  }
}

/** The csm_web cookie's value in a request, if it carries one. */
export function cookieOf(request: Request): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE_NAME && value.length > 0) return value.join("=") || null;
  }
  return null;
}

export const sessionCookie = (value: string, secure: boolean) =>
  `${COOKIE_NAME}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_LIFETIME_MS / 1000}${secure ? "; Secure" : ""}`;

export const clearedCookie = (secure: boolean) => `${COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? "; Secure" : ""}`;

/** What the server and the web routes share about browsers: logins, and the Host/Origin rules. */
export interface WebAuth {
  login: WebLogin;
  guard: BrowserGuard;
}

// Routes see the Hub only; the server hangs its browser handling on it here.
const attached = new WeakMap<object, WebAuth>();

export function attachWebAuth(hub: object, auth: WebAuth): WebAuth {
  attached.set(hub, auth);
  return auth;
}

export function webAuthOf(hub: object): WebAuth {
  const auth = attached.get(hub);
  if (!auth) throw new Error("the hub has no web login attached");
  return auth;
}
