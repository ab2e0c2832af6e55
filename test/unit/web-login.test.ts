import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrowserGuard, hostOf, isLoopbackAddress } from "../../src/hub/browser-guard.ts";
import { CODE_LIFETIME_MS, cookieOf, SESSION_LIFETIME_MS, sessionCookie, WebLogin } from "../../src/hub/web-login.ts";
import { openDatabase } from "../../src/store/db.ts";
import { WebSessionStore } from "../../src/store/web-sessions.ts";

// Login codes and browser sessions against a fake clock, on a real store.

function withLogin(run: (login: WebLogin, clock: { now: number }, store: WebSessionStore) => void) {
  const dir = mkdtempSync(join(tmpdir(), "csm-web-login-"));
  const db = openDatabase(join(dir, "csm.sqlite"));
  const clock = { now: Date.parse("2025-01-01T00:00:00Z") };
  try {
    const store = new WebSessionStore(db);
    run(new WebLogin(store, () => clock.now), clock, store);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a code works once, and its cookie is a session until logout", () => {
  withLogin((login) => {
    const { code, expiresAt } = login.issueCode();
    expect(code).toMatch(/^[A-Za-z0-9_-]{24,}$/); // ≥ 144 random bits
    expect(Date.parse(expiresAt) - Date.parse("2025-01-01T00:00:00Z")).toBe(CODE_LIFETIME_MS);
    const first = login.login(code);
    expect(first.ok).toBe(true);
    expect(login.login(code)).toEqual({ ok: false, reason: "refused" });
    const cookie = (first as { cookie: string }).cookie;
    expect(cookie.length).toBeGreaterThanOrEqual(43); // 256 bits
    expect(login.session(cookie)).not.toBeNull();
    expect(login.session(`${cookie}x`)).toBeNull();
    login.logout(cookie);
    expect(login.session(cookie)).toBeNull();
  });
});

test("a code expires after 2 minutes; a guessed or missing code is refused", () => {
  withLogin((login, clock) => {
    const { code } = login.issueCode();
    clock.now += CODE_LIFETIME_MS + 1;
    expect(login.login(code)).toEqual({ ok: false, reason: "refused" });
    expect(login.login("AAAAAAAAAAAAAAAAAAAAAAAA")).toEqual({ ok: false, reason: "refused" });
    expect(login.login(undefined)).toEqual({ ok: false, reason: "refused" });
    expect(login.login("")).toEqual({ ok: false, reason: "refused" });
  });
});

test("a browser session ends after 30 days, and only its hash is stored", () => {
  withLogin((login, clock, store) => {
    const result = login.login(login.issueCode().code) as { ok: true; cookie: string; expiresAt: number };
    expect(result.expiresAt - clock.now).toBe(SESSION_LIFETIME_MS);
    expect(store.find(result.cookie, clock.now)).toBeNull(); // not stored as itself
    clock.now += SESSION_LIFETIME_MS - 1000;
    expect(login.session(result.cookie)).not.toBeNull();
    clock.now += 1000;
    expect(login.session(result.cookie)).toBeNull();
  });
});

test("revokeAll ends every browser session", () => {
  withLogin((login) => {
    const cookies = [1, 2, 3].map(() => (login.login(login.issueCode().code) as { cookie: string }).cookie);
    expect(login.revokeAll()).toBe(3);
    for (const cookie of cookies) expect(login.session(cookie)).toBeNull();
  });
});

test("many wrong codes in a row refuse every login for a minute, without using up a good code", () => {
  withLogin((login, clock) => {
    const { code } = login.issueCode();
    for (let i = 0; i < 10; i++) expect(login.login(`wrong-${i}`)).toEqual({ ok: false, reason: "refused" });
    expect(login.login(code)).toEqual({ ok: false, reason: "rate-limited" });
    clock.now += 61_000;
    expect(login.login(code).ok).toBe(true);
  });
});

test("the cookie is HttpOnly, SameSite=Strict, 30 days, Secure under TLS, and read back from a Cookie header", () => {
  expect(sessionCookie("abc", false)).toBe("csm_web=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000");
  expect(sessionCookie("abc", true)).toEndWith("; Secure");
  expect(cookieOf(new Request("http://x/", { headers: { cookie: "a=1; csm_web=tok-en_1; b=2" } }))).toBe("tok-en_1");
  expect(cookieOf(new Request("http://x/", { headers: { cookie: "xcsm_web=1" } }))).toBeNull();
});

test("Host names: the port never matters, userinfo and junk are not hosts", () => {
  expect(hostOf("127.0.0.1:8080")).toBe("127.0.0.1");
  expect(hostOf("[::1]:1")).toBe("[::1]");
  expect(hostOf("LocalHost.")).toBe("localhost");
  expect(hostOf("evil@127.0.0.1")).toBeNull();
  expect(hostOf("127.0.0.1/x")).toBeNull();
  expect(hostOf(null)).toBeNull();
  expect(isLoopbackAddress("127.0.0.2")).toBe(true);
  expect(isLoopbackAddress("0.0.0.0")).toBe(false);
  expect(isLoopbackAddress("192.168.1.2")).toBe(false);
});

test("the guard: own hosts and configured names pass, another host and another origin are refused", () => {
  const guard = new BrowserGuard({ listen: "0.0.0.0", tls: true, names: () => ["phone.example"] });
  const request = (host: string, origin?: string) => new Request("https://x/api/sessions", { method: "POST", headers: { host, ...(origin ? { origin } : {}) } });
  for (const host of ["localhost:1", "127.0.0.1:2", "[::1]:3", "phone.example:4"]) expect(guard.hostRefusal(request(host))).toBeNull();
  expect(guard.hostRefusal(request("0.0.0.0:1"))?.status).toBe(421);
  expect(guard.hostRefusal(request("evil.example:1"))?.status).toBe(421);
  expect(guard.originRefusal(request("phone.example:4", "https://phone.example:4"))).toBeNull();
  expect(guard.originRefusal(request("phone.example:4", "http://phone.example:4"))?.status).toBe(403);
  expect(guard.originRefusal(request("phone.example:4", "https://phone.example:5"))?.status).toBe(403);
  expect(guard.originRefusal(request("phone.example:4"))?.status).toBe(403);
  expect(guard.pageBase(9)).toBe("https://phone.example:9");
  expect(new BrowserGuard({ listen: "127.0.0.1", tls: false, names: () => [] }).pageBase(9)).toBe("http://127.0.0.1:9");
});
