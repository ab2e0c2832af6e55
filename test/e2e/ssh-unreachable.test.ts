import { expect, setDefaultTimeout, test } from "bun:test";
import { SshUnreachableError } from "../../src/host/ssh-errors.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { freePort, startSshd, startTcpProxy } from "../helpers/sshd.ts";

// A host that does not answer is reported within the connect timeout (5 s by default),
// with host, port and cause; when it answers again the same SshHost simply works.
setDefaultTimeout(30_000);

async function timedFailure(host: SshHost): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await host.run(["true"]).catch((caught: unknown) => caught);
  return { error, ms: performance.now() - started };
}

test("a port nothing listens on fails at once, naming host, port and cause", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client(freePort());
  using host = new SshHost("box", config, options);
  const { error, ms } = await timedFailure(host);
  expect(error).toBeInstanceOf(SshUnreachableError);
  expect((error as Error).message).toContain(`box (${config.user}@127.0.0.1:${config.port}) is unreachable`);
  expect((error as Error).message).toContain("ECONNREFUSED");
  // Well under the 5 s connect timeout it would take to wait for an answer; slack for load.
  expect(ms).toBeLessThan(3000);
});

test("a listener that never speaks SSH fails within the 5 s connect timeout", async () => {
  await using sshd = await startSshd();
  // Accepts the TCP connection and then says nothing, like a hung machine behind a live port.
  const mute = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  try {
    const { config, options } = sshd.client(mute.port);
    using host = new SshHost("box", config, options);
    const { error, ms } = await timedFailure(host);
    expect(error).toBeInstanceOf(SshUnreachableError);
    expect((error as Error).message).toContain(`127.0.0.1:${mute.port}`);
    expect((error as Error).message).toContain("no SSH answer within 5000 ms");
    expect(ms).toBeGreaterThan(4500);
    expect(ms).toBeLessThan(8000);
  } finally {
    mute.stop(true);
  }
});

test("a host that hangs and then answers again works without a new SshHost", async () => {
  await using sshd = await startSshd();
  await using proxy = await startTcpProxy(sshd.port);
  await sshd.trust(proxy.port);
  const { config, options } = sshd.client(proxy.port);
  using host = new SshHost("box", config, { ...options, connectTimeoutMs: 1000 });

  proxy.silent = true;
  const { error, ms } = await timedFailure(host);
  expect(error).toBeInstanceOf(SshUnreachableError);
  // The 1 s timeout given, not the 5 s default: slack for load, still short of 5 s.
  expect(ms).toBeLessThan(4000);

  proxy.silent = false;
  expect(await host.run(["echo", "back"])).toEqual({ code: 0, stdout: "back\n", stderr: "" });
});
