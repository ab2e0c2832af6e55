import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROUTES } from "../../src/hub/routes/index.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const post = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

test("bad JSON is a 400, an oversized body a 413, a missing or wrong field a 400 naming it", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const badJson = await hub.fetch("/api/sessions", post("{ not json"));
  expect(badJson.status).toBe(400);
  expect(((await badJson.json()) as { error: { name: string } }).error.name).toBe("BadJson");
  expect((await hub.fetch("/api/sessions", post(JSON.stringify({ name: "a", prompt: "x".repeat(2 * 1024 * 1024) })))).status).toBe(413);
  const noName = (await (await hub.fetch("/api/sessions", post("{}"))).json()) as { error: { data: { field: string } } };
  expect(noName.error.data.field).toBe("name");
  const unknown = await hub.fetch("/api/sessions", post(JSON.stringify({ name: "a", shell: "rm -rf ~" })));
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as { error: { data: { field: string } } }).error.data.field).toBe("shell");
  const wrongType = await hub.fetch("/api/sessions/x/approve-tool", post(JSON.stringify({ requestId: "r", action: "maybe" })));
  expect(wrongType.status).toBe(400);
  for (const body of [{ muted: "yes" }, { muted: 1 }, {}]) {
    const mute = await hub.fetch("/api/sessions/x/mute", post(JSON.stringify(body)));
    const { error } = (await mute.json()) as { error: { name: string; message: string; data: { field: string } } };
    expect({ body, status: mute.status, name: error.name, field: error.data.field }).toEqual({ body, status: 400, name: "BadField", field: "muted" });
    expect(error.message).toMatch(/^muted (must be true or false|is required)$/);
  }
});

test("hostile names are refused before anything runs; no canary appears", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await using hub = await startTestHub(sb);
  const canary = join(sb.paths.root, "CANARY");
  for (const name of [`a;touch ${canary}`, `$(touch ${canary})`, "-rf", "../x", "a b", "fіx"]) {
    const created = await hub.fetch("/api/sessions", post(JSON.stringify({ name, repo })));
    expect({ name, status: created.status }).toEqual({ name, status: 400 });
    const read = await hub.fetch(`/api/sessions/${encodeURIComponent(name)}`);
    expect({ name, status: read.status }).toEqual({ name, status: 400 });
  }
  expect((await hub.fetch("/api/sessions/%E0%A4%A")).status).toBe(404);
  expect(existsSync(canary)).toBe(false);
  expect(((await (await hub.fetch("/api/sessions")).json()) as unknown[]).length).toBe(0);
});

test("config: secrets never come back; PATCH is validated, atomic, and keeps the rest", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ defaultRepo: "/src/app", hosts: { dev: { host: "dev.lan", env: { GITHUB_TOKEN: "ghp_secret_value" } } } });
  await using hub = await startTestHub(sb);
  const shown = await (await hub.fetch("/api/config")).text();
  expect(shown).not.toContain("ghp_secret_value");
  expect(JSON.parse(shown).hosts.dev.env.GITHUB_TOKEN).toBe("<redacted>");

  const before = readFileSync(sb.paths.configFile, "utf8");
  const bad = await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify({ apiPort: "eighty" }) });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("apiPort");
  expect(readFileSync(sb.paths.configFile, "utf8")).toBe(before);

  // What the client was shown, sent back with one change: the secret survives.
  const patched = await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify({ ...JSON.parse(shown), defaultRepo: "/src/other" }) });
  expect(patched.status).toBe(200);
  const file = JSON.parse(readFileSync(sb.paths.configFile, "utf8"));
  expect(file).toMatchObject({ defaultRepo: "/src/other", hosts: { dev: { host: "dev.lan", env: { GITHUB_TOKEN: "ghp_secret_value" } } } });
  expect(((await (await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify({ defaultRepo: null }) })).json()) as { config: object }).config).not.toHaveProperty("defaultRepo");
});

test("rules over the API: list, append, insert at a position, remove; a bad rule is a 400", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const add = (body: object) => hub.fetch("/api/config/rules", post(JSON.stringify(body)));
  expect((await add({ tool: "Bash", pattern: "git *", action: "allow" })).status).toBe(201);
  expect((await add({ tool: "Bash", pattern: "rm *", action: "deny", position: 0 })).status).toBe(201);
  const bad = await add({ tool: "bash", action: "allow" });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('did you mean \\"Bash\\"');
  expect(await (await hub.fetch("/api/config/rules")).json()).toEqual([
    { index: 0, tool: "Bash", pattern: "rm *", action: "deny" },
    { index: 1, tool: "Bash", pattern: "git *", action: "allow" },
  ]);
  expect((await hub.fetch("/api/config/rules/7", { method: "DELETE" })).status).toBe(400);
  expect(await (await hub.fetch("/api/config/rules/0", { method: "DELETE" })).json()).toEqual([{ index: 0, tool: "Bash", pattern: "git *", action: "allow" }]);
  expect((await sb.csm(["rules", "list"])).stdout).toContain('[0] Bash "git *" → allow');
});

// Each route's body is declared once (route.body) and every request is checked against it,
// so no route quietly ignores a field it does not know, and none takes a body it has no use for.
test("every route that takes a request refuses an unknown field with a 400 naming it", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const concrete = (path: string) => path.replace(":host", "local").replace(":name", "some-session").replace(":index", "0");
  for (const route of ROUTES.filter((r) => r.method !== "GET")) {
    const response = await hub.fetch(concrete(route.path), { method: route.method, body: JSON.stringify({ "surely-unknown": 1 }) });
    const { error } = (await response.json()) as { error: { data: { field?: string } } };
    expect({ route: `${route.method} ${route.path}`, status: response.status, field: error.data.field }).toEqual({ route: `${route.method} ${route.path}`, status: 400, field: "surely-unknown" });
  }
  // A known field of the wrong type is named too; a kill with only known fields reaches the session lookup.
  const wrongType = await hub.fetch("/api/sessions/some-session/kill", post(JSON.stringify({ force: "yes" })));
  expect(((await wrongType.json()) as { error: { data: { field: string } } }).error.data.field).toBe("force");
  expect((await hub.fetch("/api/sessions/some-session/kill", post(JSON.stringify({ force: true })))).status).toBe(404);
  expect((await hub.fetch("/api/sessions/some-session/interrupt", { method: "POST" })).status).toBe(404);
});

// Queries are declared like bodies: a parameter a route does not know, or a bad number, is a 400 naming it.
test("every route refuses an unknown query parameter, and a route's own are checked", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const concrete = (path: string) => path.replace(":host", "local").replace(":name", "some-session").replace(":index", "0");
  for (const route of ROUTES.filter((r) => !r.stream)) {
    const response = await hub.fetch(`${concrete(route.path)}?surely-unknown=1`, { method: route.method });
    const { error } = (await response.json()) as { error: { data: { field?: string } } };
    expect({ route: `${route.method} ${route.path}`, status: response.status, field: error.data.field }).toEqual({ route: `${route.method} ${route.path}`, status: 400, field: "?surely-unknown" });
  }
  const bad = await hub.fetch("/api/sessions/local/some-session/events?tail=many");
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("?tail must be an integer of at least 1");
  expect((await hub.fetch("/api/sessions/local/some-session/events?tail=5")).status).toBe(404);
});
