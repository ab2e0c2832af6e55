import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { SshAuthError } from "../../src/host/ssh-errors.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd, waitForFile } from "../helpers/sshd.ts";

// Authentication never prompts: a refused key, a passphrase-protected key or no key at
// all is an error that names what was tried; a key held by ssh-agent works.
setDefaultTimeout(30_000);

async function keygen(path: string, passphrase = ""): Promise<void> {
  const child = Bun.spawn(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", path], { stdout: "ignore", stderr: "ignore" });
  expect(await child.exited).toBe(0);
}

test("a key the server does not accept is refused, naming the identity file", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  const stranger = join(sshd.root, "stranger_key");
  await keygen(stranger);
  using host = new SshHost("box", { ...config, identityFile: stranger }, options);
  const error = await host.run(["true"]).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SshAuthError);
  expect((error as Error).message).toContain(`cannot log in to box (${config.user}@127.0.0.1:${sshd.port})`);
  expect((error as Error).message).toContain(`identity file ${stranger}`);
});

test("a passphrase-protected key or no key at all is an error, not a prompt", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  const locked = join(sshd.root, "locked_key");
  await keygen(locked, "secret passphrase");
  using lockedHost = new SshHost("box", { ...config, identityFile: locked }, options);
  await expect(lockedHost.run(["true"])).rejects.toThrow(`add it to your agent (ssh-add ${locked})`);

  using keyless = new SshHost("box", { ...config, identityFile: undefined }, options);
  await expect(keyless.run(["true"])).rejects.toThrow("no ssh-agent (SSH_AUTH_SOCK is not set) and no identity file");
});

test("a key held by ssh-agent logs in", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  const socket = join(sshd.root, "agent.sock");
  // -D keeps the agent in the foreground, so this test owns it and stops it by its pid.
  const agent = Bun.spawn(["ssh-agent", "-D", "-a", socket], { stdout: "ignore", stderr: "ignore" });
  try {
    await waitForFile(socket);
    const add = Bun.spawn(["ssh-add", config.identityFile], { env: { SSH_AUTH_SOCK: socket }, stdout: "ignore", stderr: "ignore" });
    expect(await add.exited).toBe(0);
    using host = new SshHost("box", { ...config, identityFile: undefined }, { ...options, agent: socket });
    expect(await host.run(["echo", "via agent"])).toEqual({ code: 0, stdout: "via agent\n", stderr: "" });
  } finally {
    agent.kill();
    await agent.exited;
  }
});
