import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HostKeyError } from "../../src/host/known-hosts.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd } from "../helpers/sshd.ts";

// A host whose key differs from the one on record is refused loudly (it may be an attack),
// and a key marked @revoked is refused even when it is also listed as trusted.
setDefaultTimeout(30_000);

async function otherKey(directory: string): Promise<string> {
  const path = join(directory, "other_host_key");
  const keygen = Bun.spawn(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path], { stdout: "ignore", stderr: "ignore" });
  await keygen.exited;
  return (await Bun.file(`${path}.pub`).text()).trim().split(" ").slice(0, 2).join(" ");
}

test("a changed host key is refused with a CHANGED message", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  await writeFile(options.knownHostsPath, `# recorded earlier\n[127.0.0.1]:${sshd.port} ${await otherKey(sshd.root)}\n`);
  using host = new SshHost("box", config, options);

  const error = await host.run(["echo", "never"]).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(HostKeyError);
  expect((error as HostKeyError).problem).toBe("changed");
  expect((error as Error).message).toContain("host key CHANGED");
  expect((error as Error).message).toContain("line 2");
  expect((error as Error).message).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}'`);
});

test("a revoked host key is refused", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  await writeFile(options.knownHostsPath, `@revoked * ${sshd.hostPublicKey}\n[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  using host = new SshHost("box", config, options);

  const error = await host.run(["echo", "never"]).catch((caught: unknown) => caught);
  expect((error as HostKeyError).problem).toBe("revoked");
  expect((error as Error).message).toContain("@revoked");
});
