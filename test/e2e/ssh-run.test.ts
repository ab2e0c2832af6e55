import { expect, setDefaultTimeout, test } from "bun:test";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd } from "../helpers/sshd.ts";

// Plain commands through a real SSH hop: output, exit codes, input, cwd, env.
setDefaultTimeout(30_000);

test("run returns stdout, stderr and the exit code; a non-zero exit is not an error", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", { ...config, env: { CSM_HOST_VAR: "from host config" } }, options);

  expect(await host.run(["echo", "hello"])).toEqual({ code: 0, stdout: "hello\n", stderr: "" });
  expect(await host.run(["sh", "-c", "echo out; echo err >&2; exit 7"])).toEqual({ code: 7, stdout: "out\n", stderr: "err\n" });
  expect(await host.run(["cat"], { input: "piped\ninput" })).toEqual({ code: 0, stdout: "piped\ninput", stderr: "" });
  expect((await host.run(["sh", "-c", 'kill -TERM "$$"'])).code).toBe(128 + 15);
  expect((await host.run(["no-such-program-csm"])).code).toBe(127);

  expect((await host.run(["pwd"], { cwd: sshd.root })).stdout).toBe(`${sshd.root}\n`);
  const env = await host.run(["sh", "-c", 'printf "%s|%s" "$CSM_HOST_VAR" "$CSM_CALL_VAR"'], { env: { CSM_CALL_VAR: "it's $(not run)" } });
  expect(env.stdout).toBe("from host config|it's $(not run)");
  // A call's env wins over the host's.
  expect((await host.run(["sh", "-c", 'printf %s "$CSM_HOST_VAR"'], { env: { CSM_HOST_VAR: "call" } })).stdout).toBe("call");
});

test("which finds executables on the remote PATH", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  expect(await host.which("sh")).toMatch(/^\/.*\/sh$/);
  expect(await host.which("echo")).toMatch(/^\/.*\/echo$/);
  expect(await host.which("no-such-program-csm")).toBeNull();
  expect(await host.which("x'; exit 0; '")).toBeNull();
});

test("a timeout stops the remote program and returns what it printed", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  // Connected first, so the clock measures the run alone; the timeout leaves the remote
  // shell time to start and print its pid on a loaded machine.
  await host.connect();
  const started = performance.now();
  const result = await host.run(["sh", "-c", "echo $$; while :; do sleep 0.1; echo tick; done"], { timeoutMs: 2000 });
  expect(performance.now() - started).toBeLessThan(5000);
  expect(result.code).toBe(137);
  // The "remote" host is this machine, so the program's pid can be checked here.
  const pid = Number(result.stdout.split("\n")[0]);
  expect(pid).toBeGreaterThan(0);
  const gone = async () => !(await Bun.file(`/proc/${pid}/stat`).exists());
  for (let i = 0; i < 100 && !(await gone()); i++) await Bun.sleep(20);
  expect(await gone()).toBe(true);
});
