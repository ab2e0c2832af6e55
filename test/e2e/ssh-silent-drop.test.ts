import { expect, setDefaultTimeout, test } from "bun:test";
import { SshUnreachableError } from "../../src/host/ssh-errors.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd, startTcpProxy } from "../helpers/sshd.ts";

// A pooled connection whose peer vanished without a word (no FIN, no RST) is noticed by
// the next call within the connect timeout, not after minutes of keepalives.
setDefaultTimeout(30_000);

test("a connection that stops answering is reported unreachable in time, then replaced", async () => {
  await using sshd = await startSshd();
  await using proxy = await startTcpProxy(sshd.port);
  await sshd.trust(proxy.port);
  const { config, options } = sshd.client(proxy.port);
  using host = new SshHost("box", config, { ...options, connectTimeoutMs: 2000 });

  expect((await host.run(["echo", "one"])).stdout).toBe("one\n");
  proxy.freezeAll();
  const started = performance.now();
  const error = await host.run(["echo", "lost"]).catch((caught: unknown) => caught);
  const elapsed = performance.now() - started;
  expect(error).toBeInstanceOf(SshUnreachableError);
  expect((error as Error).message).toContain("no answer within 2000 ms");
  expect(elapsed).toBeGreaterThan(1900);
  // Slack for load: keepalives would take 45 s.
  expect(elapsed).toBeLessThan(5000);

  expect((await host.run(["echo", "two"])).stdout).toBe("two\n");
  expect(proxy.accepted).toBe(2);
});
