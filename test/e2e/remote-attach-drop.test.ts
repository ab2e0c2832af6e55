import { expect, test, setDefaultTimeout } from "bun:test";
import { PERSON_CLIENTS_FORMAT } from "../helpers/attach.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

test("csm attach finds the remote session and attaches through ssh -t; detaching returns", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  await sb.csm(["create", "faraway", "--host", "devbox"]);
  // A terminal for ssh -t: a pane of a tmux server of the test's own.
  const outer = sb.extraSocket("outer");
  await sb.tmuxOn(outer, ["new-session", "-d", "-s", "term", "-x", "120", "-y", "30", "--", "bun", CSM_ENTRY, "attach", "far"]);
  await sb.waitFor(async () => (await remote.remoteTmux(["list-clients", "-F", PERSON_CLIENTS_FORMAT])).stdout.includes("csm-faraway:"), {
    what: "a client attached to csm-faraway on the remote tmux server",
  });
  expect((await remote.remoteTmux(["detach-client", "-s", "csm-faraway"])).code).toBe(0);
  await sb.waitFor(async () => (await sb.tmuxOn(outer, ["has-session", "-t", "=term"])).code !== 0, { what: "csm attach to end after the detach" });
});

test("the local hub follows a remote host through a dropped SSH connection, without a restart", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb, sshd } = remote;
  await sb.csm(["create", "steady", "--host", "devbox"]);
  await using hub = await startTestHub(sb);
  const seen = async () => ((await (await hub.fetch("/api/sessions")).json()) as { name: string; host: string }[]).some((s) => s.name === "steady" && s.host === "devbox");
  await sb.waitFor(seen, { what: "the remote session through the local hub", timeoutMs: 20_000 });

  await sshd.kill();
  await sb.waitFor(async () => !(await seen()), { what: "the remote session to drop out while the host is away", timeoutMs: 20_000 });
  const down = (await (await hub.fetch("/api/hosts")).json()) as { name: string; reachable: boolean }[];
  expect(down.find((h) => h.name === "local")).toMatchObject({ reachable: true });

  await sshd.start();
  await sb.waitFor(seen, { what: "the remote session back, through the same local hub", timeoutMs: 30_000 });
  const up = (await (await hub.fetch("/api/hosts")).json()) as { name: string; reachable: boolean }[];
  expect(up.find((h) => h.name === "devbox")).toMatchObject({ reachable: true });
});
