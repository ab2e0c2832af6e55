import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { startTestHub } from "../helpers/hub.ts";
import { createSession, listSessions, waitForClaudeLaunches } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

// Each session owns 10 ports from CSM_PORT_BASE on, for its whole life, so two sessions'
// dev servers never want the same port.

const portBases = async (sb: Awaited<ReturnType<typeof makeSandbox>>) =>
  Object.fromEntries((await listSessions(sb)).map((s) => [s.name, (s as { portBase?: number }).portBase]));

test("sessions made at once get disjoint blocks, exported to claude and the shell; kill frees them", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ portRange: { from: 31000, to: 31029 } });

  // Made concurrently: the store hands out blocks in one transaction each.
  await Promise.all(["one", "two", "three"].map((name) => createSession(sb, name, repo)));
  const bases = await portBases(sb);
  expect(Object.values(bases).sort()).toEqual([31000, 31010, 31020]);

  const full = await sb.csm(["create", "four", "--repo", repo]);
  expect(full.code).toBe(1);
  expect(full.stderr).toContain("portRange");

  // claude's environment (the stand-in records it) and the shell window's.
  const launches = await waitForClaudeLaunches(sb, 3);
  expect(launches.map((launch) => Number(launch.env.CSM_PORT_BASE)).sort()).toEqual([31000, 31010, 31020]);
  const shown = await sb.tmux(["show-environment", "-t", "=csm-two", "CSM_PORT_BASE"]);
  expect(shown.stdout.trim()).toBe(`CSM_PORT_BASE=${bases.two}`);
  const printed = await sb.tmux(["display-message", "-p", "-t", "=csm-two:shell", "#{pane_pid}"]);
  const environ = await Bun.file(`/proc/${printed.stdout.trim()}/environ`).text();
  expect(environ.split("\0")).toContain(`CSM_PORT_BASE=${bases.two}`);

  expect((await sb.csm(["kill", "two"])).code).toBe(0);
  await createSession(sb, "four", repo);
  expect((await portBases(sb)).four).toBe(bases.two);
});

test("blocks are stored: a hub restart keeps them, a dead session keeps its block until killed, reconnect gives its windows the block again", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ portRange: { from: 31000, to: 31019 } });
  const hub = await startTestHub(sb);
  await createSession(sb, "a", repo);
  await createSession(sb, "b", repo);
  const before = await portBases(sb);
  expect(before).toEqual({ a: 31000, b: 31010 });
  await hub.stop();
  await using again = await startTestHub(sb);
  expect(await portBases(sb)).toEqual(before);

  // a's tmux session dies under it (a crash, a reboot): the session is dead, its block still its own.
  await sb.tmux(["kill-session", "-t", "=csm-a"]);
  expect((await listSessions(sb)).find((s) => s.name === "a")?.status).toBe("dead");
  const full = await sb.csm(["create", "c", "--repo", repo]);
  expect(full.code).toBe(1);
  expect(full.stderr).toContain("a dead one keeps its block until it is killed");

  // Brought back, its tmux session hands the block to windows opened later, as at create.
  expect((await sb.csm(["reconnect", "a"])).code).toBe(0);
  expect((await sb.tmux(["show-environment", "-t", "=csm-a", "CSM_PORT_BASE"])).stdout.trim()).toBe("CSM_PORT_BASE=31000");

  // Killed, dead or not, its block is free again.
  await sb.tmux(["kill-session", "-t", "=csm-a"]);
  expect((await sb.csm(["kill", "a", "--force"])).code).toBe(0);
  await createSession(sb, "c", repo);
  expect((await portBases(sb)).c).toBe(31000);
});
