import { expect, test, setDefaultTimeout } from "bun:test";
import { readClaudeLaunches } from "../helpers/fake-claude-log.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { createSession } from "../helpers/sessions.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

test("create, list, narrow, check and kill sessions on a remote host over SSH", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  const localRepo = await sb.makeRepo("app");
  await createSession(sb, "here", localRepo);

  const created = await sb.csm(["create", "api-fix", "--host", "devbox", "--prompt", "fix it", "--json"]);
  expect(created).toMatchObject({ code: 0 });
  expect(JSON.parse(created.stdout)).toMatchObject({ name: "api-fix", repo: remote.remoteRepo });
  // It runs in the remote csm's own tmux server, not ours.
  expect((await remote.remoteTmux(["has-session", "-t", "=csm-api-fix"])).code).toBe(0);
  expect((await sb.tmux(["has-session", "-t", "=csm-api-fix"])).code).not.toBe(0);
  await sb.waitFor(async () => (await readClaudeLaunches(remote.remoteEnv.FAKE_CLAUDE_LOG!)).length > 0, { what: "the remote claude to start" });

  const all = JSON.parse((await sb.csm(["list", "--json"])).stdout) as { name: string; host: string; status: string }[];
  expect(all.map((s) => `${s.host}:${s.name}`).sort()).toEqual(["devbox:api-fix", "local:here"]);
  expect(all.find((s) => s.name === "api-fix")!, JSON.stringify(all)).not.toMatchObject({ status: "dead" });
  const narrowed = JSON.parse((await sb.csm(["list", "--host", "devbox", "--json"])).stdout) as { name: string }[];
  expect(narrowed.map((s) => s.name)).toEqual(["api-fix"]);
  expect((await sb.csm(["list"])).stdout).toMatch(/api-fix\s+devbox/);

  const hosts = JSON.parse((await sb.csm(["hosts", "--json"])).stdout) as { name: string; reachable: boolean; latencyMs: number; versions: Record<string, string | null> }[];
  const devbox = hosts.find((h) => h.name === "devbox")!;
  expect(devbox).toMatchObject({ reachable: true });
  expect(devbox.latencyMs).toBeGreaterThanOrEqual(0);
  expect(devbox.versions.tmux).toMatch(/^tmux /);
  expect(devbox.versions.git).toMatch(/^git version/);
  expect(devbox.versions.csm).toMatch(/^csm /);

  // A unique prefix finds the host itself.
  const killed = await sb.csm(["kill", "api", "--delete-branch"]);
  expect(killed).toMatchObject({ code: 0 });
  expect(killed.stdout).toContain("killed api-fix");
  expect((await remote.remoteTmux(["has-session", "-t", "=csm-api-fix"])).code).not.toBe(0);
  expect(await sb.git(remote.remoteRepo, ["branch", "--list", "csm/*"])).toBe("");
});
