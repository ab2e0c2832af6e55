import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd } from "../helpers/sshd.ts";

// Long-lived processes on the host: piped (the bridge's way), attached through the
// system ssh, and detached so they outlive the SSH session.
setDefaultTimeout(30_000);

test("spawnPiped talks to a remote process over its stdio", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);

  const child = host.spawnPiped(["sh", "-c", "while read -r line; do echo \"got $line\"; done; echo bye >&2; exit 3"]);
  child.write("one\n");
  child.write("two\n");
  child.closeStdin();
  const [stdout, stderr, exited] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect({ stdout, stderr, exited }).toEqual({ stdout: "got one\ngot two\n", stderr: "bye\n", exited: { code: 3, signal: null } });
});

test("spawnPiped on an unreachable host ends with 255 and the reason on stderr", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  await sshd.kill();
  using host = new SshHost("box", config, options);
  const child = host.spawnPiped(["cat"]);
  child.write("ignored");
  expect(await child.exited).toEqual({ code: 255, signal: null });
  expect(await new Response(child.stderr).text()).toContain("is unreachable");
});

test("runAttached runs the system ssh with the same key, known_hosts and no prompts", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  const argv = host.attachArgv(["sh", "-c", "exit 5"], { cwd: sshd.root });
  expect(argv.slice(0, 4)).toEqual(["ssh", "-t", "-F", "none"]);
  expect(argv).toContain("BatchMode=yes");
  expect(argv).toContain("StrictHostKeyChecking=yes");
  expect(argv.slice(-3, -1)).toEqual(["--", "127.0.0.1"]);
  expect(argv.at(-1)).toBe(`cd -- '${sshd.root}' && exec 'sh' '-c' 'exit 5'`);
  // No terminal here, so ssh warns and runs without one; the exit code still comes back.
  expect(await host.runAttached(["sh", "-c", "exit 5"])).toBe(5);
});

test("startDetached leaves the program running after the session ends", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  const log = join(sshd.root, "detached.log");
  const pid = await host.startDetached(["sh", "-c", "echo started; exec sleep 30"], log);
  try {
    expect(pid).toBeGreaterThan(0);
    while (!(await Bun.file(log).text().catch(() => "")).includes("started")) await Bun.sleep(10);
    // Its own session: setsid made it the leader (session id = pid).
    const stat = await Bun.file(`/proc/${pid}/stat`).text();
    expect(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3])).toBe(pid);
    expect(() => host.spawnDetached()).toThrow(/startDetached/);
  } finally {
    // We started it (through sshd); stop it by its pid.
    process.kill(pid, "SIGTERM");
  }
});
