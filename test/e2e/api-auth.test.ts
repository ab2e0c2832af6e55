import { expect, test, setDefaultTimeout } from "bun:test";
import { ROUTES } from "../../src/hub/routes/index.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const concrete = (path: string) => path.replace(":host", "local").replace(":name", "some-session").replace(":index", "0");

// Walks the route table itself, so a route added later cannot be forgotten.
test("every route but health refuses a request without the right token", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  // The web login takes a one-time code instead (and, without the hub's Origin, refuses before looking at it).
  expect(ROUTES.filter((r) => r.public).map((r) => r.path)).toEqual(["/api/health", "/api/web/login"]);
  for (const route of ROUTES) {
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${btoa("user:pass")}`, `Bearer ${hub.token()}x`]) {
      const response = await fetch(hub.url(concrete(route.path)), {
        method: route.method,
        headers: authorization ? { authorization } : {},
        body: route.method === "GET" ? undefined : "{}",
      });
      const expected = route.path === "/api/web/login" ? 403 : route.public ? 200 : 401;
      expect({ route: `${route.method} ${route.path}`, authorization, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, authorization, status: expected });
      const text = await response.text();
      expect(text.includes(hub.token())).toBe(false);
    }
  }
});

test("no response carries the token, and health says no more than version and uptime", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const health = (await (await fetch(hub.url("/api/health"))).json()) as Record<string, unknown>;
  expect(Object.keys(health).sort()).toEqual(["ok", "uptimeSeconds", "version"]);
  for (const route of ROUTES.filter((r) => r.method === "GET" && !r.stream)) {
    const text = await (await hub.fetch(concrete(route.path))).text();
    expect(text.includes(hub.token())).toBe(false);
  }
});

test("the API is described, route for route", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const document = (await (await hub.fetch("/api/openapi.json")).json()) as { openapi: string; paths: Record<string, Record<string, { summary: string }>> };
  expect(document.openapi).toBe("3.1.0");
  const described = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
  const routed = ROUTES.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
  expect(described.sort()).toEqual(routed.sort());
  for (const methods of Object.values(document.paths)) for (const operation of Object.values(methods)) expect(operation.summary.length).toBeGreaterThan(10);
});

test("csm token prints the token; --rotate replaces it and the old one stops working at once", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const printed = (await sb.csm(["token"])).stdout.trim();
  expect(printed).toBe(hub.token());
  expect(printed).toMatch(/^[0-9a-f]{64}$/);
  const rotated = (await sb.csm(["token", "--rotate"])).stdout.trim();
  expect(rotated).not.toBe(printed);
  expect((await fetch(hub.url("/api/sessions"), { headers: { authorization: `Bearer ${printed}` } })).status).toBe(401);
  expect((await fetch(hub.url("/api/sessions"), { headers: { authorization: `Bearer ${rotated}` } })).status).toBe(200);
});

test("no CORS headers unless the origin is configured; a configured origin gets exactly itself", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ apiAllowedOrigins: ["https://dash.example"] });
  await using hub = await startTestHub(sb);
  const stranger = await hub.fetch("/api/sessions", { headers: { origin: "https://evil.example" } });
  expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
  expect((await fetch(hub.url("/api/sessions"), { method: "OPTIONS", headers: { origin: "https://evil.example" } })).status).toBe(403);
  const friend = await hub.fetch("/api/sessions", { headers: { origin: "https://dash.example" } });
  expect(friend.headers.get("access-control-allow-origin")).toBe("https://dash.example");
  const preflight = await fetch(hub.url("/api/sessions"), { method: "OPTIONS", headers: { origin: "https://dash.example" } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
});

test("--listen binds elsewhere only when asked, and warns", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb, ["--listen", "127.0.0.2"]);
  expect(hub.stderr()).toContain("warning: the hub listens on 127.0.0.2");
  expect((await fetch(`http://127.0.0.2:${hub.port}/api/health`)).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${hub.port}/api/health`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
});
