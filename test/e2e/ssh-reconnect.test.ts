import { expect, setDefaultTimeout, test } from "bun:test";
import { SshConnectionLostError, SshUnreachableError } from "../../src/host/ssh-errors.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd, startTcpProxy } from "../helpers/sshd.ts";

// A dropped connection fails what was using it, clearly, and the next call reconnects.
setDefaultTimeout(30_000);

test("a cut connection fails the running command and the next call reconnects", async () => {
  await using sshd = await startSshd();
  await using proxy = await startTcpProxy(sshd.port);
  await sshd.trust(proxy.port);
  const { config, options } = sshd.client(proxy.port);
  using host = new SshHost("box", config, options);

  expect((await host.run(["echo", "one"])).stdout).toBe("one\n");
  proxy.dropAll();
  expect((await host.run(["echo", "two"])).stdout).toBe("two\n");
  expect(proxy.accepted).toBe(2);

  // The "remote" is this machine: the marker file says the command is running.
  const marker = `${sshd.root}/started`;
  const running = host.run(["sh", "-c", 'touch "$1"; exec sleep 20', "sh", marker]).catch((caught: unknown) => caught);
  while (!(await Bun.file(marker).exists())) await Bun.sleep(10);
  const started = performance.now();
  proxy.dropAll();
  const error = await running;
  // At once, with slack for load: not when the 20 s command would have ended, nor after keepalives.
  expect(performance.now() - started).toBeLessThan(3000);
  expect(error).toBeInstanceOf(SshConnectionLostError);
  expect((error as Error).message).toContain("was lost while running sh");
  expect((await host.run(["echo", "three"])).stdout).toBe("three\n");
  expect(proxy.accepted).toBe(3);
});

test("sshd stopped and started again on the same port: calls fail meanwhile, then work", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);

  expect((await host.run(["echo", "before"])).stdout).toBe("before\n");
  await sshd.kill();
  // Lost (the old connection dies under the call) or unreachable (it was already gone):
  // either way the call fails clearly; what matters is that later calls work again.
  const meanwhile = await host.run(["true"]).catch((caught: unknown) => caught);
  expect(meanwhile instanceof SshUnreachableError || meanwhile instanceof SshConnectionLostError).toBe(true);
  await sshd.start();
  expect((await host.run(["echo", "after"])).stdout).toBe("after\n");
});
