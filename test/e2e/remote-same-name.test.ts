import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { createSession } from "../helpers/sessions.ts";

// A session is (host, name): the same name on this machine and on devbox (through the real
// sshd) are two sessions, in the list, the API and the CLI.

setDefaultTimeout(60_000);

test("the same name on two hosts: both listed, each reachable by host, a bare name is ambiguous to the API", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  await createSession(sb, "api", await sb.makeRepo("app"));
  expect(await sb.csm(["create", "api", "--host", "devbox"])).toMatchObject({ code: 0 });

  const listed = JSON.parse((await sb.csm(["list", "--json"])).stdout) as { name: string; host: string }[];
  expect(listed.map((s) => `${s.name}@${s.host}`).sort()).toEqual(["api@devbox", "api@local"]);

  expect(await sb.csm(["server", "start"])).toMatchObject({ code: 0 });
  const port = (JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { port: number }).port;
  const token = readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  const api = async (path: string, method = "GET", body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { name: string; data: { candidates?: string[] } } } };
  };
  // The hub follows devbox's hub once its forward is up.
  await sb.waitFor(async () => (await api("/api/sessions/devbox/api")).status === 200 || undefined, { what: "devbox's api through the hub", timeoutMs: 20_000 });

  expect((await api("/api/sessions/local/api")).body).toMatchObject({ name: "api", host: "local" });
  expect((await api("/api/sessions/devbox/api")).body).toMatchObject({ name: "api", host: "devbox" });
  const ambiguous = await api("/api/sessions/api");
  expect(ambiguous.status).toBe(409);
  expect(ambiguous.body.error).toMatchObject({ name: "AmbiguousSession", data: { candidates: ["api@local", "api@devbox"] } });
  expect((await api("/api/sessions/nowhere/api")).status).toBe(404);

  // The CLI names the other one NAME@HOST; the local one stays.
  const killed = await sb.csm(["kill", "api@devbox", "--force"]);
  expect(killed, killed.stderr).toMatchObject({ code: 0 });
  expect((await remote.remoteTmux(["has-session", "-t", "=csm-api"])).code).not.toBe(0);
  expect((await sb.tmux(["has-session", "-t", "=csm-api"])).code).toBe(0);
  const after = JSON.parse((await sb.csm(["list", "--json"])).stdout) as { name: string; host: string }[];
  expect(after.map((s) => `${s.name}@${s.host}`)).toEqual(["api@local"]);
  // With one api left, the short form finds it again.
  await sb.waitFor(async () => (await api("/api/sessions/api")).status === 200 || undefined, { what: "the short form to answer", timeoutMs: 20_000 });
});
