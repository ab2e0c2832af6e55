import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { freePort, makeSandbox } from "../helpers/sandbox.ts";

// Beyond loopback the hub speaks HTTPS only: without tls in the config it refuses to start,
// with it it serves https and its browser cookies are Secure.

setDefaultTimeout(30_000);

test("--listen 0.0.0.0 without tls is refused with the reason, and so is a tls file that cannot be read", async () => {
  await using sb = await makeSandbox();
  const refused = await sb.csm(["server", "--listen", "0.0.0.0", "--port", String(freePort())], { timeoutMs: 10_000 });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("--listen 0.0.0.0 reaches beyond this machine, so the hub needs TLS");
  expect(refused.stderr).toContain('"tls"');
  expect(refused.stderr).toContain("ssh -L");

  await sb.writeConfig({ tls: { cert: join(sb.paths.root, "missing.pem"), key: join(sb.paths.root, "missing-key.pem") } });
  const unreadable = await sb.csm(["server", "--listen", "0.0.0.0", "--port", String(freePort())], { timeoutMs: 10_000 });
  expect(unreadable.code).toBe(2);
  expect(unreadable.stderr).toContain(`tls.cert in ${sb.paths.configFile}: ${join(sb.paths.root, "missing.pem")} cannot be read`);
});

test("with tls the hub serves https beyond loopback, and a browser's cookie is Secure", async () => {
  await using sb = await makeSandbox();
  const cert = join(sb.paths.root, "cert.pem");
  const key = join(sb.paths.root, "key.pem");
  const made = await sb.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert]);
  expect(made.code).toBe(0);
  await sb.writeConfig({ tls: { cert, key } });
  await using hub = await startTestHub(sb, ["--listen", "0.0.0.0"]);
  // This machine's clients (CLI, dashboard, bridges) keep a plain loopback listener, which
  // hub.json names: `csm web` gets its https link through it.
  const web = await sb.csm(["web", "--json"]);
  expect(web.code).toBe(0);
  const issued = JSON.parse(web.stdout) as { code: string; url: string };
  const publicPort = Number(/^https:\/\/127\.0\.0\.1:(\d+)\/#login=/.exec(issued.url)?.[1]);
  expect(publicPort).toBeGreaterThan(0);
  const local = (JSON.parse(await Bun.file(join(sb.paths.stateHome, "csm", "hub.json")).text()) as { port: number }).port;
  expect(local).not.toBe(publicPort);
  expect((await fetch(`http://127.0.0.1:${local}/api/health`)).status).toBe(200);
  expect((await sb.csm(["list", "--json"])).code).toBe(0);
  const base = `https://127.0.0.1:${publicPort}`;
  const insecure = { tls: { rejectUnauthorized: false } } as RequestInit;
  expect((await fetch(`${base}/api/health`, insecure)).status).toBe(200);
  // No plain HTTP where others reach it.
  await expect(fetch(`http://127.0.0.1:${publicPort}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status)).rejects.toThrow();
  expect((await fetch(`${base}/api/health`, { ...insecure, headers: { host: "evil.example" } })).status).toBe(421);

  const login = await fetch(`${base}/api/web/login`, { ...insecure, method: "POST", headers: { origin: base, "content-type": "application/json" }, body: JSON.stringify({ code: issued.code }) });
  expect(login.status).toBe(200);
  expect(login.headers.get("set-cookie")).toEndWith("; Secure");
  // An http page of the same host is another origin.
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  expect((await fetch(`${base}/api/web/logout`, { ...insecure, method: "POST", headers: { cookie, origin: `http://127.0.0.1:${publicPort}` } })).status).toBe(403);
});
