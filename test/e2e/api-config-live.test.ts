import { expect, test, setDefaultTimeout } from "bun:test";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { waitForClaudeLaunches } from "../helpers/sessions.ts";

// Real hub, tmux, git and the stand-in claude: slower than bun's 5 s default.
setDefaultTimeout(30_000);

// A change through PATCH /api/config applies to the running hub at once; the fields it
// cannot take over (port, tmux socket, SSH hosts) are named in the answer instead of
// silently waiting for a restart.

interface Patched {
  ok: boolean;
  config: Record<string, unknown>;
  restartNeeded: string[];
}

test("CORS origins, defaultRepo and claudeArgs apply at once; port and hosts are named as needing a restart", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await using hub = await startTestHub(sb);
  const patch = async (body: object) => {
    const response = await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as Patched;
  };
  const preflight = () => fetch(hub.url("/api/sessions"), { method: "OPTIONS", headers: { origin: "https://dash.example" } });
  expect((await preflight()).status).toBe(403);

  const live = await patch({ apiAllowedOrigins: ["https://dash.example"], defaultRepo: repo, claudeArgs: ["--model", "opus"] });
  expect(live).toMatchObject({ ok: true, config: { defaultRepo: repo }, restartNeeded: [] });
  expect((await preflight()).status).toBe(204);
  // No repo in the request: the new defaultRepo; claude gets the new claudeArgs.
  const created = await hub.fetch("/api/sessions", { method: "POST", body: JSON.stringify({ name: "fresh" }) });
  expect(created.status).toBe(201);
  expect(((await created.json()) as { repo: string }).repo).toBe(repo);
  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args.join(" ")).toContain("--model opus");

  expect((await patch({ apiPort: 1234, hosts: { dev: { host: "dev.lan" } } })).restartNeeded).toEqual(["apiPort", "hosts"]);
  // Still on its port, still without the new host, until it is restarted.
  expect(((await (await hub.fetch("/api/hosts")).json()) as { name: string }[]).map((h) => h.name)).toEqual(["local"]);
  // Still named while the file and the running hub differ; not once they agree again.
  expect((await patch({ defaultRepo: null })).restartNeeded).toEqual(["apiPort", "hosts"]);
  expect((await patch({ apiPort: null, hosts: null })).restartNeeded).toEqual([]);
});
