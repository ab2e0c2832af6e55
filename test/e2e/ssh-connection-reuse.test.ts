import { expect, setDefaultTimeout, test } from "bun:test";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd, startTcpProxy } from "../helpers/sshd.ts";

// Every call on a host shares one TCP connection, counted by a relay in front of sshd,
// including more concurrent calls than sshd allows channels on one connection (10).
setDefaultTimeout(30_000);

test("many runs, sequential and concurrent, use one connection", async () => {
  await using sshd = await startSshd();
  await using proxy = await startTcpProxy(sshd.port);
  await sshd.trust(proxy.port);
  const { config, options } = sshd.client(proxy.port);
  using host = new SshHost("box", config, options);

  for (let i = 0; i < 5; i++) expect((await host.run(["echo", String(i)])).stdout).toBe(`${i}\n`);
  const concurrent = await Promise.all(Array.from({ length: 25 }, (_, i) => host.run(["echo", String(i)])));
  expect(concurrent.map((result) => result.stdout)).toEqual(Array.from({ length: 25 }, (_, i) => `${i}\n`));
  expect(await host.files.exists(sshd.root)).toBe(true);
  expect(await host.which("sh")).not.toBeNull();

  expect(proxy.accepted).toBe(1);
});
