import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readClaudeLaunches } from "../helpers/fake-claude-log.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { startSshd } from "../helpers/sshd.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

test("a host that does not answer is unreachable within 5 s while the others list; when it comes back it reappears", async () => {
  // A listener that accepts and never speaks: the worst kind of down.
  const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {}, open() {} } });
  await using remote = await makeRemoteSandbox({ extraHosts: { mute: { host: "127.0.0.1", port: silent.port, identityFile: "/nonexistent" } } });
  const { sb } = remote;
  await sb.csm(["create", "alive", "--host", "devbox"]);

  const started = performance.now();
  const listed = await sb.csm(["list", "--json"]);
  const seconds = (performance.now() - started) / 1000;
  expect(seconds).toBeLessThan(9); // generous on a loaded 2-core machine; the timeout itself is 5 s
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout).map((s: { host: string; name: string }) => `${s.host}:${s.name}`)).toEqual(["devbox:alive"]);
  expect(listed.stderr).toContain("csm: mute: unreachable");
  silent.stop(true);

  // The host comes back (here: a real sshd on that port's place): no restart of anything.
  await using back = await startSshd();
  const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
  config.hosts.mute = { ...config.hosts.devbox, port: back.port, identityFile: back.client().config.identityFile };
  await sb.writeConfig(config);
  writeFileSync(join(sb.paths.home, ".ssh", "known_hosts"), (await Bun.file(join(sb.paths.home, ".ssh", "known_hosts")).text()) + (await Bun.file(back.knownHostsPath).text()));
  const again = await sb.csm(["list", "--json"]);
  expect(again.stderr).not.toContain("unreachable");
  expect(JSON.parse(again.stdout).map((s: { host: string; name: string }) => `${s.host}:${s.name}`).sort()).toEqual(["devbox:alive", "mute:alive"]);
});

test("an unknown host key is refused, with the fingerprint and the fix", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  writeFileSync(join(sb.paths.home, ".ssh", "known_hosts"), "");
  const hosts = await sb.csm(["hosts"]);
  expect(hosts.code).toBe(1);
  expect(hosts.stdout).toMatch(/devbox\s+root@127\.0\.0\.1:\d+\s+unreachable/);
  expect(hosts.stdout).toMatch(/devbox: host key for \[127\.0\.0\.1\]:\d+ is not in .*known_hosts/);
  const created = await sb.csm(["create", "nope", "--host", "devbox"]);
  expect(created.code).not.toBe(0);
  expect(created.stderr).toMatch(/SHA256:/);
  expect(created.stderr).toContain("ssh-keyscan");
  expect(existsSync(join(remote.remoteEnv.XDG_STATE_HOME!, "csm"))).toBe(false);
});

test("hostile names, paths and prompts through a full remote create: refused or passed as data, never run", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  const canary = join(sb.paths.root, "CANARY");
  const name = await sb.csm(["create", `x;touch ${canary}`, "--host", "devbox"]);
  expect(name.code).toBe(2);
  const path = await sb.csm(["create", "badrepo", "--host", "devbox", "--repo", `/tmp/$(touch ${canary})`]);
  expect(path.code).not.toBe(0);
  expect(path.stderr).toContain("does not exist");
  const prompt = `fix $(touch ${canary}); touch ${canary} \`touch ${canary}\` '"`;
  expect(await sb.csm(["create", "quoted", "--host", "devbox", "--prompt", prompt])).toMatchObject({ code: 0 });
  const launch = await sb.waitFor(async () => {
    const [first] = await readClaudeLaunches(remote.remoteEnv.FAKE_CLAUDE_LOG!);
    return first && first.stdin.length > 0 ? first : undefined;
  }, { what: "the remote claude to get its prompt" });
  expect(launch.stdin[0]).toMatchObject({ message: { content: prompt } });
  expect(existsSync(canary)).toBe(false);
});
