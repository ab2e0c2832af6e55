import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { makeSandbox, processAlive as alive } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// `csm server`: started on demand, detached; status and stop; a stale pid file is replaced;
// it listens on 127.0.0.1 only; every route but health wants the token.

test("a command that needs the hub starts it; status reports it; stop stops it", async () => {
  await using sb = await makeSandbox();
  expect(await sb.csm(["server", "status"])).toMatchObject({ code: 1, stdout: "not running\n" });

  const repo = await sb.makeRepo("app");
  expect(await sb.csm(["create", "one", "--repo", repo])).toMatchObject({ code: 0 });

  const status = await sb.csm(["server", "status", "--json"]);
  const info = JSON.parse(status.stdout) as { running: boolean; pid: number; port: number; version: string };
  expect(info).toMatchObject({ running: true, port: Number(sb.env.CSM_PORT) });
  expect(alive(info.pid)).toBe(true);

  // It outlives the command that started it, and answers health without a token.
  const health = await fetch(`http://127.0.0.1:${info.port}/api/health`);
  expect(health.status).toBe(200);
  expect(Object.keys((await health.json()) as object).sort()).toEqual(["ok", "uptimeSeconds", "version"]);
  expect((await fetch(`http://127.0.0.1:${info.port}/api/sessions`)).status).toBe(401);
  expect((await fetch(`http://127.0.0.1:${info.port}/api/sessions`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);

  // Not on any other local address.
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);
  for (const address of others) {
    await expect(fetch(`http://${address}:${info.port}/api/health`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  }

  expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  expect(alive(info.pid)).toBe(false);
  expect(existsSync(join(sb.paths.stateHome, "csm", "hub.json"))).toBe(false);
});

test("a stale pid file (dead process) is detected and replaced", async () => {
  await using sb = await makeSandbox();
  const dead = Bun.spawn(["true"]);
  await dead.exited;
  const hubFile = join(sb.paths.stateHome, "csm", "hub.json");
  await Bun.write(hubFile, JSON.stringify({ pid: dead.pid, port: 1, version: "0", startedAt: "2026-01-01T00:00:00Z" }));
  expect(await sb.csm(["server", "status"])).toMatchObject({ code: 1, stdout: "not running\n" });
  expect(existsSync(hubFile)).toBe(false);

  const repo = await sb.makeRepo("app");
  expect(await sb.csm(["create", "one", "--repo", repo])).toMatchObject({ code: 0 });
  const info = (await Bun.file(hubFile).json()) as { pid: number };
  expect(info.pid).not.toBe(dead.pid);
  expect(alive(info.pid)).toBe(true);
});

test("a second foreground hub refuses to start beside a running one", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.csm(["create", "one", "--repo", repo]);
  const second = await sb.csm(["server"]);
  expect(second.code).toBe(1);
  expect(second.stderr).toContain("already running");
});

test("the token file is private", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.csm(["create", "one", "--repo", repo]);
  const mode = (await Bun.file(join(sb.paths.configHome, "csm", "token")).stat()).mode & 0o777;
  expect(mode).toBe(0o600);
});
