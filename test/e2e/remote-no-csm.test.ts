import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../src/shared/version.ts";
import { startTestHub } from "../helpers/hub.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

test("a host without csm is listed from its tmux alone, with a note", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
  config.hosts.devbox.csmPath = "/nonexistent/csm";
  await sb.writeConfig(config);
  // A session made there by hand (or by a csm since removed).
  expect((await remote.remoteTmux(["new-session", "-d", "-s", "csm-handmade", "-n", "agent", "--", "sleep", "3600"])).code).toBe(0);

  const listed = await sb.csm(["list", "--json"]);
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "handmade", host: "devbox", status: "unknown" })]);
  expect(listed.stderr).toContain("csm: devbox: csm is not installed on devbox");
  expect(listed.stderr).toContain("hosts.devbox.csmPath");

  // The local hub (and so the dashboard and API) shows it the same way.
  await using hub = await startTestHub(sb);
  await sb.waitFor(async () => ((await (await hub.fetch("/api/sessions")).json()) as { name: string; host: string }[]).some((s) => s.name === "handmade" && s.host === "devbox"), {
    what: "the tmux-only session through the local hub",
    timeoutMs: 20_000,
  });
});

test("a csmPath under ~/ is looked up in the remote home, as a user writes it", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb, remoteEnv } = remote;
  mkdirSync(join(remoteEnv.HOME!, "bin"), { recursive: true });
  symlinkSync(CSM_ENTRY, join(remoteEnv.HOME!, "bin", "csm"));
  const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
  config.hosts.devbox.csmPath = "~/bin/csm";
  await sb.writeConfig(config);

  const hosts = await sb.csm(["hosts", "--json"]);
  expect(hosts.code).toBe(0);
  expect(JSON.parse(hosts.stdout)).toContainEqual(expect.objectContaining({ name: "devbox", reachable: true, versions: expect.objectContaining({ csm: `csm ${VERSION}` }) }));
  const listed = await sb.csm(["list", "--json"]);
  expect(listed).toMatchObject({ code: 0, stderr: "" });
});
