import { expect, setDefaultTimeout, test } from "bun:test";
import { Tmux } from "../../src/adapters/tmux.ts";
import { TmuxControlChannel } from "../../src/adapters/tmux-control.ts";
import type { Runner } from "../../src/host/runner.ts";
import { LocalHost } from "../../src/host/local.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession } from "../helpers/sessions.ts";

// The hub answers `csm list` from one tmux control client instead of a tmux process per
// query. Real tmux throughout: the answers must be tmux's truth at the moment asked,
// however sessions come and go, and csm must never attach to a session that is not its own.

setDefaultTimeout(30_000);

const own = (session: string) => session.startsWith("csm-");

/** A LocalHost that counts the tmux processes it starts (the control client is spawnPiped). */
function countingHost(): { runner: Runner; runs: () => number } {
  const host = new LocalHost();
  let runs = 0;
  const runner = Object.assign(Object.create(host) as Runner, {
    run: (...args: Parameters<Runner["run"]>) => {
      runs++;
      return host.run(...args);
    },
  });
  return { runner, runs: () => runs };
}

async function startSessions(sb: Sandbox, names: string[]): Promise<void> {
  for (const name of names) {
    const made = await sb.tmux(["new-session", "-d", "-s", name, "-n", "agent", "sleep", "600"]);
    expect(made.code).toBe(0);
  }
}

/** The clients tmux has, as `session flags` lines. */
async function clients(sb: Sandbox): Promise<string[]> {
  const result = await sb.tmux(["list-clients", "-F", "#{client_session} #{client_flags}"]);
  return result.stdout.trim().split("\n").filter(Boolean);
}

const sessionsOf = (panes: { session: string; window: string }[]) => [...new Set(panes.map((pane) => pane.session))].sort();

test("after one ordinary query, queries go over one control client on a csm session and agree with a tmux process", async () => {
  await using sb = await makeSandbox();
  await startSessions(sb, ["personal", "csm-one", "csm-two"]);
  const { runner, runs } = countingHost();
  const tmux = new Tmux(runner, sb.socket, sb.env);
  tmux.keepControlChannel(own);
  try {
    const ordinary = await tmux.listPanes();
    expect(runs()).toBe(1);
    await sb.waitFor(async () => (await clients(sb)).length === 1, { what: "the control client to attach" });
    const [client] = await clients(sb);
    expect(client).toMatch(/^csm-(one|two) .*control-mode/);
    expect(client).toContain("ignore-size");

    const overControl = await tmux.listPanes();
    expect(runs()).toBe(1);
    expect(overControl).toEqual(ordinary);
    expect(sessionsOf(overControl)).toEqual(["csm-one", "csm-two", "personal"]);
  } finally {
    await tmux.closeControlChannel();
  }
  await sb.waitFor(async () => (await clients(sb)).length === 0, { what: "the control client to go" });
});

test("sessions killed behind csm's back are gone from the very next answer, including the one the client was on", async () => {
  await using sb = await makeSandbox();
  await startSessions(sb, ["csm-a", "csm-b", "csm-c"]);
  const { runner, runs } = countingHost();
  const tmux = new Tmux(runner, sb.socket, sb.env);
  tmux.keepControlChannel(own);
  try {
    await tmux.listPanes();
    await sb.waitFor(async () => (await clients(sb)).length === 1, { what: "the control client to attach" });
    const attachedTo = (await clients(sb))[0]!.split(" ")[0]!;
    const other = ["csm-a", "csm-b", "csm-c"].find((name) => name !== attachedTo)!;

    // Not the client's session: answered over the channel, without it.
    expect((await sb.tmux(["kill-session", "-t", `=${other}`])).code).toBe(0);
    const before = runs();
    expect(sessionsOf(await tmux.listPanes())).not.toContain(other);
    expect(runs()).toBe(before);

    // The client's own session: tmux detaches it; the answer is still right, and a new
    // client attaches to the session that is left.
    expect((await sb.tmux(["kill-session", "-t", `=${attachedTo}`])).code).toBe(0);
    const left = ["csm-a", "csm-b", "csm-c"].filter((name) => name !== other && name !== attachedTo);
    expect(sessionsOf(await tmux.listPanes())).toEqual(left);
    await sb.waitFor(async () => (await clients(sb)).some((line) => line.startsWith(`${left[0]} `)), { what: "a new control client" });
    const afterReopen = runs();
    expect(sessionsOf(await tmux.listPanes())).toEqual(left);
    expect(runs()).toBe(afterReopen);
  } finally {
    await tmux.closeControlChannel();
  }
});

test("with only other people's sessions it never attaches, and keeps asking tmux the ordinary way", async () => {
  await using sb = await makeSandbox();
  await startSessions(sb, ["personal", "work"]);
  const { runner, runs } = countingHost();
  const tmux = new Tmux(runner, sb.socket, sb.env);
  tmux.keepControlChannel(own);
  try {
    expect(sessionsOf(await tmux.listPanes())).toEqual(["personal", "work"]);
    expect(sessionsOf(await tmux.listPanes())).toEqual(["personal", "work"]);
    expect(runs()).toBe(2);
    expect(await clients(sb)).toEqual([]);
  } finally {
    await tmux.closeControlChannel();
  }
});

test("arguments reach tmux literally: no splitting at ;, no $ or ~ expansion", async () => {
  await using sb = await makeSandbox();
  await startSessions(sb, ["csm-q"]);
  const env = { ...sb.env };
  delete env.TMUX;
  const channel = TmuxControlChannel.open(new LocalHost(), ["tmux", "-L", sb.socket], "csm-q", env);
  try {
    const text = "a; kill-server; $HOME ~ \\ {x} \"q\"";
    expect(await channel.query(["display-message", "-p", text])).toEqual([text]);
    expect((await sb.tmux(["has-session", "-t", "=csm-q"])).code).toBe(0);
    await expect(channel.query(["no-such-command"])).rejects.toThrow(/unknown command/);
    // A failed command does not close the channel.
    expect(await channel.query(["display-message", "-p", "still here"])).toEqual(["still here"]);
  } finally {
    await channel.close();
  }
  expect(channel.closed).toBe(true);
});

test("the hub lists over its control client, and a session killed outside csm shows dead at once", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await using hub = await startTestHub(sb);
  for (const name of ["first", "second"]) expect((await createSession(sb, name, repo, ["--no-worktree"])).code).toBe(0);

  const list = async () => (await (await hub.fetch("/api/sessions")).json()) as { name: string; status: string }[];
  await list();
  await sb.waitFor(async () => (await clients(sb)).some((line) => line.includes("control-mode")), { what: "the hub's control client" });
  const attachedTo = (await clients(sb)).find((line) => line.includes("control-mode"))!.split(" ")[0]!;

  expect((await sb.tmux(["kill-session", "-t", `=${attachedTo}`])).code).toBe(0);
  const status = new Map((await list()).map((session) => [session.name, session.status]));
  expect(status.get(attachedTo.slice("csm-".length))).toBe("dead");
  expect(status.get(attachedTo === "csm-first" ? "second" : "first")).not.toBe("dead");
});
