import { expect, setDefaultTimeout, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { HostKeyError, fingerprint } from "../../src/host/known-hosts.ts";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd } from "../helpers/sshd.ts";

// An unknown host key is refused, never added: the message shows the fingerprint and the
// command that trusts it once a person has checked it.
setDefaultTimeout(30_000);

test("an unknown host key is refused with its fingerprint and the fix", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  const expected = fingerprint(Buffer.from(sshd.hostPublicKey.split(" ")[1]!, "base64"));

  for (const prepare of [() => writeFile(options.knownHostsPath, ""), () => rm(options.knownHostsPath)]) {
    await prepare();
    using host = new SshHost("box", config, options);
    const error = await host.run(["echo", "never"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostKeyError);
    const message = (error as HostKeyError).message;
    expect((error as HostKeyError).problem).toBe("unknown");
    expect(message).toContain(`[127.0.0.1]:${sshd.port}`);
    expect(message).toContain(expected);
    expect(message).toContain(`ssh-keyscan -p ${sshd.port} -t ed25519 '127.0.0.1' >> '${options.knownHostsPath}'`);
  }
  // Refusing never writes the key anywhere.
  expect(await Bun.file(options.knownHostsPath).exists()).toBe(false);
});

test("applying the fix from the message makes the host work", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  await writeFile(options.knownHostsPath, "");
  using host = new SshHost("box", config, options);
  const error = (await host.run(["true"]).catch((caught: unknown) => caught)) as HostKeyError;
  const fix = error.message.slice(error.message.indexOf("ssh-keyscan"));
  const applied = Bun.spawn(["sh", "-c", fix], { stdout: "ignore", stderr: "ignore" });
  expect(await applied.exited).toBe(0);
  expect(await host.run(["echo", "trusted"])).toEqual({ code: 0, stdout: "trusted\n", stderr: "" });
});
