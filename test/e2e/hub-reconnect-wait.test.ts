import { expect, setDefaultTimeout, test } from "bun:test";
import { createContext } from "../../src/core/context.ts";
import { Hub } from "../../src/hub/hub.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// Between claude's exit and the end of its bridge (which records the exit status), the
// link already says `dead` while tmux still sees the pane run. `reconnect` then must wait
// for the pane, not refuse a session the dashboard shows dead, and never respawn the pane
// under a bridge that is still writing. The hub runs in-process here so the test can hold
// the pane in that in-between state as long as it needs.

setDefaultTimeout(30_000);

async function sessionBetweenExitAndBridgeEnd(sb: Sandbox) {
  const repo = await sb.makeRepo("app");
  expect((await sb.csm(["create", "phoenix", "--repo", repo, "--no-worktree"])).code).toBe(0);
  expect((await sb.csm(["server", "stop"])).code).toBe(0);
  // Something still runs in the agent pane, as the bridge does for a moment after claude's exit.
  expect((await sb.tmux(["respawn-pane", "-k", "-t", "=csm-phoenix:agent", "sleep", "60"])).code).toBe(0);
  const panePid = Number((await sb.tmux(["display-message", "-p", "-t", "=csm-phoenix:agent", "#{pane_pid}"])).stdout.trim());
  const hub = new Hub(await createContext(sb.env));
  hub.live.record("phoenix", [{ kind: "link", at: new Date().toISOString(), data: { event: "claude_exited", code: null, signal: "SIGKILL" } }]);
  expect(hub.live.state("phoenix").status).toBe("dead");
  return {
    hub,
    panePid,
    async [Symbol.asyncDispose]() {
      await hub.stop();
      hub.ctx.close();
    },
  };
}

test("reconnect right after claude's exit waits for the bridge to end, then restarts claude", async () => {
  await using sb = await makeSandbox();
  await using held = await sessionBetweenExitAndBridgeEnd(sb);
  let bridgeEnded = false;
  setTimeout(() => {
    bridgeEnded = true;
    process.kill(held.panePid, "SIGTERM");
  }, 300);
  await held.hub.reconnect("phoenix", 1);
  expect(bridgeEnded).toBe(true);
  const pane = await sb.tmux(["display-message", "-p", "-t", "=csm-phoenix:agent", "#{pane_dead} #{pane_start_command}"]);
  expect(pane.stdout).toMatch(/^0 .*bridge.*phoenix/);
});

test("a pane that keeps running after the link said dead is not respawned: reconnect refuses", async () => {
  await using sb = await makeSandbox();
  await using held = await sessionBetweenExitAndBridgeEnd(sb);
  await expect(held.hub.reconnect("phoenix", 1)).rejects.toThrow(/still running/);
  const pane = await sb.tmux(["display-message", "-p", "-t", "=csm-phoenix:agent", "#{pane_pid}"]);
  expect(Number(pane.stdout.trim())).toBe(held.panePid);
});
