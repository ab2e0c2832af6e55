import type { Context } from "../core/context.ts";
import { CsmError } from "../shared/errors.ts";
import { processRuns } from "../shared/process-alive.ts";
import { csmSelfArgv } from "../shared/self.ts";
import { withoutTmuxVariables } from "../shared/tmux-env.ts";
import { findHub, type HubClient } from "./client.ts";
import { AGENT_LINK_VERSION } from "../link/agent-proof.ts";
import { hubLockOwner, hubLogPath, runningHub, terminateHub } from "./hub-files.ts";

// Commands that need the hub (create, send, the dashboard …) start it when it is not
// running: detached, so it outlives the terminal that started it. So do the bridges when
// their hub died (see link/bridge.ts). Many may start one at the same moment: the state
// dir's lock lets one hub run (see server.ts), and every starter waits for that one.

const START_TIMEOUT_MS = 10_000;

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * A hub from before an upgrade (it still runs the old code) speaks an older agent link:
 * the panes this csm starts could never link to it. It is stopped so a new one starts;
 * the panes it served relink to the new hub, which still speaks their link.
 */
async function stopOlderHub(stateDir: string, pid: number): Promise<void> {
  const running = await runningHub(stateDir);
  if (!running || running.pid !== pid) return;
  if (!(await terminateHub(running, START_TIMEOUT_MS))) {
    throw new CsmError("HubNotAnswering", `the csm hub (pid ${running.pid}) runs an older csm and did not stop; \`csm server stop\` it and try again (see ${hubLogPath(stateDir)})`);
  }
}

/**
 * The running hub, started detached (so it outlives this terminal) when there is none.
 */
export async function ensureHub(ctx: Context): Promise<HubClient> {
  const found = await findHub(ctx);
  const stateDir = ctx.settings.paths.stateDir;
  if (found && (await healthy(found.info.port))) {
    if ((found.info.agentLink ?? 1) >= AGENT_LINK_VERSION) return found;
    await stopOlderHub(stateDir, found.info.pid);
  }
  const port = ctx.settings.apiPort;
  await ctx.host.files.mkdirp(stateDir, 0o700);
  // In the state dir: not in the caller's directory (a bridge's worktree), which it would keep busy after a kill.
  const pid = ctx.host.spawnDetached(csmSelfArgv("server", "--port", String(port)), hubLogPath(stateDir), { cwd: stateDir, env: withoutTmuxVariables(ctx.env) });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await Bun.sleep(50);
    const hub = await findHub(ctx);
    if (hub && (await healthy(hub.info.port))) return hub;
    // Ours is gone, but it may have lost to a hub another csm started at the same moment:
    // wait while that one holds the state dir, or something answers on the port.
    if (!hub && !processRuns(pid) && !hubLockOwner(stateDir) && !(await healthy(port))) break;
  }
  const owner = hubLockOwner(stateDir);
  if (owner && owner.pid !== pid) {
    throw new CsmError("HubNotAnswering", `the csm hub (pid ${owner.pid}) holds ${stateDir} but does not answer; \`csm server stop\` it and try again (see ${hubLogPath(stateDir)})`);
  }
  const log = ((await ctx.host.files.read(hubLogPath(stateDir))) ?? "").trim().split("\n").slice(-3).join(" | ");
  throw new CsmError("HubNotStarted", `the csm hub did not start on port ${port}${log ? `: ${log}` : ""} (see ${hubLogPath(stateDir)})`);
}
