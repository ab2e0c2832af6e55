import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdir } from "node:fs/promises";
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

  // A home without keys: nothing to offer, and the error says what was looked for.
  using keyless = new SshHost("box", { ...config, identityFile: undefined }, { ...options, homeDir: join(sshd.root, "empty-home") });
  await expect(keyless.run(["true"])).rejects.toThrow(
    "no ssh-agent (SSH_AUTH_SOCK is not set), no identity file and no usable default key (~/.ssh/id_rsa, ~/.ssh/id_ecdsa, ~/.ssh/id_ed25519)",
  );
});

test("without an agent or identityFile, the default key in ~/.ssh logs in, as ssh does", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  // The fixture's key is <home>/.ssh/id_ed25519; a passphrase-protected id_rsa before it
  // in OpenSSH's order is passed over, not prompted for.
  await keygen(join(options.homeDir, ".ssh", "id_rsa"), "secret passphrase");
  using host = new SshHost("box", { ...config, identityFile: undefined }, options);
  expect(await host.run(["echo", "default key"])).toEqual({ code: 0, stdout: "default key\n", stderr: "" });
});

test("a default key that needs a passphrase is named with the fix when nothing else can log in", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  const home = join(sshd.root, "locked-home");
  await mkdir(join(home, ".ssh"), { recursive: true, mode: 0o700 });
  const locked = join(home, ".ssh", "id_ed25519");
  await keygen(locked, "secret passphrase");
  using host = new SshHost("box", { ...config, identityFile: undefined }, { ...options, homeDir: home });
  const error = await host.run(["true"]).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SshAuthError);
  expect((error as Error).message).toContain(`${locked} is protected by a passphrase and csm never prompts: add it to your agent (ssh-add ${locked})`);
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
