import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { freePort, makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, listSessions } from "../helpers/sessions.ts";

// A hub with tls keeps this machine's clients on a loopback listener of whatever port is
// free, so each start of it has another one. A session's link learned the first; after the
// hub restarts it must find the new one (hub.json), or it never relinks.

setDefaultTimeout(60_000);

const hubJsonPort = async (sb: Sandbox) => (JSON.parse(await Bun.file(join(sb.paths.stateHome, "csm", "hub.json")).text()) as { port: number }).port;

const linked = (sb: Sandbox, name: string, what: string) =>
  sb.waitFor(async () => (await listSessions(sb)).find((s) => s.name === name && (s as { linked?: boolean }).linked === true), { what, timeoutMs: 20_000, intervalMs: 200 });

test("a session relinks to a hub with tls that restarted on another loopback port", async () => {
  await using sb = await makeSandbox();
  const cert = join(sb.paths.root, "cert.pem");
  const key = join(sb.paths.root, "key.pem");
  expect((await sb.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert])).code).toBe(0);
  await sb.writeConfig({ tls: { cert, key } });
  const repo = await sb.makeRepo();
  const listen = ["--listen", "0.0.0.0", "--port", String(freePort())];

  const first = await startTestHub(sb, listen);
  const before = await hubJsonPort(sb);
  await createSession(sb, "tls", repo);
  await linked(sb, "tls", "the session linked to the first hub");
  await first.stop();

  await using second = await startTestHub(sb, listen);
  const after = await hubJsonPort(sb);
  expect(after).not.toBe(before);
  expect(second.pid).not.toBe(first.pid);
  await linked(sb, "tls", "the session relinked to the restarted hub on its new loopback port");
});
