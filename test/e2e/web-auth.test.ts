import { expect, test, setDefaultTimeout } from "bun:test";
import { startTestHub, type TestHub } from "../helpers/hub.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// Browser login and the hub's defences against other pages, with plain HTTP clients: a
// code from `csm web`, the cookie it buys, Host and Origin refusals, revocation.

setDefaultTimeout(30_000);

async function webLink(sb: Sandbox): Promise<{ url: string; code: string }> {
  const result = await sb.csm(["web", "--json"]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { url: string; code: string };
}

/** Logs in like the page does: the code from the link's fragment, from the hub's own origin. */
async function logIn(sb: Sandbox, hub: TestHub): Promise<string> {
  const { url } = await webLink(sb);
  const code = new URL(url).hash.replace("#login=", "");
  const response = await fetch(hub.url("/api/web/login"), { method: "POST", headers: { origin: new URL(hub.url("/")).origin, "content-type": "application/json" }, body: JSON.stringify({ code }) });
  expect(response.status).toBe(200);
  const cookie = response.headers.get("set-cookie")!;
  expect(cookie).toMatch(/^csm_web=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=2592000$/);
  return cookie.split(";")[0]!;
}

const asBrowser = (hub: TestHub, path: string, cookie: string, init: RequestInit & { origin?: string | null } = {}) => {
  const { origin = new URL(hub.url("/")).origin, ...rest } = init;
  return fetch(hub.url(path), { ...rest, headers: { cookie, ...(origin ? { origin } : {}), ...(rest.body ? { "content-type": "application/json" } : {}) } });
};

test("csm web prints a link with a one-time code only; the code buys a cookie the API and its event stream accept", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const plain = await sb.csm(["web"]);
  expect(plain.code).toBe(0);
  expect(plain.stdout.trim()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${hub.port}/#login=[A-Za-z0-9_-]{24}$`));
  expect(plain.stdout + plain.stderr).not.toContain(hub.token());

  const cookie = await logIn(sb, hub);
  expect((await asBrowser(hub, "/api/sessions", cookie)).status).toBe(200);
  const whoami = (await (await asBrowser(hub, "/api/web/whoami", cookie)).json()) as { ok: boolean; expiresAt: string };
  expect(whoami.ok).toBe(true);
  expect(Date.parse(whoami.expiresAt) - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
  const abort = new AbortController();
  const stream = await asBrowser(hub, "/api/events", cookie, { signal: abort.signal });
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  abort.abort();
  // A state-changing call with the cookie from the hub's own page works.
  expect((await asBrowser(hub, "/api/stream-tickets", cookie, { method: "POST", body: "{}" })).status).toBe(201);

  expect((await fetch(hub.url("/api/web/whoami"))).status).toBe(401);
  expect((await asBrowser(hub, "/api/sessions", "csm_web=guessed-value-guessed-value-guessed-value-1")).status).toBe(401);
});

test("a used, guessed or missing code is 401; a login from another origin or none is 403", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const own = new URL(hub.url("/")).origin;
  const login = (body: object, origin: string | null = own) =>
    fetch(hub.url("/api/web/login"), { method: "POST", headers: { ...(origin ? { origin } : {}), "content-type": "application/json" }, body: JSON.stringify(body) });
  const { code } = await webLink(sb);
  expect((await login({ code }, "http://evil.example")).status).toBe(403);
  expect((await login({ code }, null)).status).toBe(403);
  expect((await login({ code })).status).toBe(200); // the refusals did not use it up
  const reused = await login({ code });
  expect(reused.status).toBe(401);
  expect(reused.headers.get("set-cookie")).toBeNull();
  expect(((await reused.json()) as { error: { message: string } }).error.message).toContain("csm web");
  expect((await login({ code: "AAAAAAAAAAAAAAAAAAAAAAAA" })).status).toBe(401);
  expect((await login({})).status).toBe(401);
});

test("a request naming another host is refused on every path, with or without credentials", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  for (const path of ["/api/health", "/", "/index.html", "/api/sessions", "/api/events", "/ws/agent/x", "/hooks/x/pre-tool-use", "/api/web/login"]) {
    for (const host of ["evil.example", `evil.example:${hub.port}`, "127.0.0.1.evil.example", "localhost@evil.example"]) {
      const response = await hub.fetch(path, { method: path.endsWith("login") || path.startsWith("/hooks") ? "POST" : "GET", headers: { host } });
      expect({ path, host, status: response.status }).toEqual({ path, host, status: 421 });
      const body = (await response.json()) as { error: { name: string; message: string } };
      expect(body.error.name).toBe("MisdirectedRequest");
      expect(body.error.message).toContain("webHostNames");
    }
  }
  // The hub's own names pass whatever the port.
  for (const host of [`localhost:${hub.port}`, "127.0.0.1:1", `[::1]:${hub.port}`]) expect((await fetch(hub.url("/api/health"), { headers: { host } })).status).toBe(200);
});

test("a configured host name is answered", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ webHostNames: ["devbox.tailnet.example"] });
  await using hub = await startTestHub(sb);
  expect((await fetch(hub.url("/api/health"), { headers: { host: "devbox.tailnet.example:8443" } })).status).toBe(200);
  expect((await fetch(hub.url("/api/health"), { headers: { host: "other.tailnet.example" } })).status).toBe(421);
});

test("a cross-site POST with the cookie (foreign Origin or none) is 403 and changes nothing; the token needs no Origin", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const cookie = await logIn(sb, hub);
  for (const origin of ["http://evil.example", null, "null", `http://localhost:${hub.port}`]) {
    const created = await asBrowser(hub, "/api/sessions", cookie, { method: "POST", origin, body: JSON.stringify({ name: "csrf-made" }) });
    expect({ origin, status: created.status }).toEqual({ origin, status: 403 });
    expect(((await created.json()) as { error: { name: string } }).error.name).toBe("ForeignOrigin");
    expect((await asBrowser(hub, "/api/web/revoke-all", cookie, { method: "POST", origin, body: "{}" })).status).toBe(403);
    expect((await asBrowser(hub, "/api/web/logout", cookie, { method: "POST", origin, body: "{}" })).status).toBe(403);
  }
  const sessions = (await (await hub.fetch("/api/sessions")).json()) as { name: string }[];
  expect(sessions.map((s) => s.name)).not.toContain("csrf-made");
  expect((await asBrowser(hub, "/api/web/whoami", cookie)).status).toBe(200); // still logged in
  // The CLI and scripts send no Origin: the token is enough.
  expect((await hub.fetch("/api/stream-tickets", { method: "POST" })).status).toBe(201);
});

test("logout ends one browser; csm web --revoke-all ends them all at once", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const [first, second, third] = [await logIn(sb, hub), await logIn(sb, hub), await logIn(sb, hub)];
  const logout = await asBrowser(hub, "/api/web/logout", first, { method: "POST", body: "{}" });
  expect(logout.status).toBe(200);
  expect(logout.headers.get("set-cookie")).toContain("Max-Age=0");
  expect((await asBrowser(hub, "/api/sessions", first)).status).toBe(401);
  expect((await asBrowser(hub, "/api/sessions", second)).status).toBe(200);
  const revoked = await sb.csm(["web", "--revoke-all"]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain("logged out 2 browser sessions");
  for (const cookie of [second, third]) {
    expect((await asBrowser(hub, "/api/sessions", cookie)).status).toBe(401);
    expect((await asBrowser(hub, "/api/web/whoami", cookie)).status).toBe(401);
  }
});
