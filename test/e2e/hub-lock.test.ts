import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CSM_ENTRY, makeSandbox, type Sandbox, processAlive as alive } from "../helpers/sandbox.ts";

// One hub per state dir: the hub holds <state>/hub.lock for its whole life. `status` and
// `stop` need only the state dir, and name the hub by pid and start time, never a pid alone.

setDefaultTimeout(30_000);

function foreground(sb: Sandbox) {
  const child = Bun.spawn(["bun", CSM_ENTRY, "server"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { child, output };
}

test("two `csm server` started at the same moment: one runs, the other says so and exits", async () => {
  await using sb = await makeSandbox();
  const [a, b] = [foreground(sb), foreground(sb)];
  // The loser exits on its own; the winner runs until stopped.
  const loser = await Promise.race([a.child.exited.then(() => a), b.child.exited.then(() => b)]);
  const winner = loser === a ? b : a;
  const [, loserErr] = await loser.output;
  expect(loser.child.exitCode).toBe(1);
  expect(loserErr).toContain("already running");
  await sb.waitFor(() => existsSync(join(sb.paths.stateHome, "csm", "hub.json")), { what: "the winner's hub.json" });
  const status = JSON.parse((await sb.csm(["server", "status", "--json"])).stdout) as { pid: number; running: boolean };
  expect(status).toMatchObject({ running: true, pid: winner.child.pid });
  expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  expect(await winner.child.exited).toBe(0);
});

test("two commands that start the hub at once get the same hub", async () => {
  await using sb = await makeSandbox();
  const [a, b] = await Promise.all([sb.csm(["server", "start", "--json"]), sb.csm(["server", "start", "--json"])]);
  expect(a.code).toBe(0);
  expect(b.code).toBe(0);
  const [first, second] = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as { pid: number; port: number }[];
  expect(second!.pid).toBe(first!.pid);
  expect(first!.port).toBe(Number(sb.env.CSM_PORT));
});

test("`csm server stop` and `status` work with an invalid config and without a token", async () => {
  await using sb = await makeSandbox();
  expect(await sb.csm(["server", "start"])).toMatchObject({ code: 0 });
  const pid = (JSON.parse((await sb.csm(["server", "status", "--json"])).stdout) as { pid: number }).pid;
  await sb.writeConfig("{ this is not json");
  writeFileSync(join(sb.paths.configHome, "csm", "token"), "");
  expect(await sb.csm(["list"])).toMatchObject({ code: 78 });
  expect(await sb.csm(["server", "status"])).toMatchObject({ code: 0, stdout: expect.stringContaining(`pid ${pid}`) });
  expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0, stdout: `stopped hub (pid ${pid})\n` });
  expect(alive(pid)).toBe(false);
  expect(await sb.csm(["server", "status"])).toMatchObject({ code: 1, stdout: "not running\n" });
});

test("a pid in hub.json that now belongs to another program is not the hub: stop leaves it alone", async () => {
  await using sb = await makeSandbox();
  const other = Bun.spawn(["sleep", "30"]);
  try {
    const stateDir = join(sb.paths.stateHome, "csm");
    await Bun.write(join(stateDir, "hub.json"), JSON.stringify({ pid: other.pid, port: 1, version: "0", startedAt: "2026-01-01T00:00:00Z", procStart: "1" }));
    await Bun.write(join(stateDir, "hub.lock"), `${other.pid} 1\n`);
    expect(await sb.csm(["server", "status"])).toMatchObject({ code: 1, stdout: "not running\n" });
    expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0, stdout: "not running\n" });
    expect(alive(other.pid)).toBe(true);
    // And a hub starts over it: the lock's owner is provably gone.
    expect(await sb.csm(["server", "start"])).toMatchObject({ code: 0 });
    expect(alive(other.pid)).toBe(true);
  } finally {
    other.kill();
    await other.exited;
  }
});
