import type { Context } from "../core/context.ts";
import { CsmError } from "../shared/errors.ts";
import { csmSelfArgv } from "../shared/self.ts";
import { withoutTmuxVariables } from "../shared/tmux-env.ts";
import { findHub, type HubClient } from "./client.ts";
import { hubLogPath, processAlive } from "./hub-files.ts";

// Commands that need the hub (create, send, the dashboard …) start it when it is not
// running: detached, so it outlives the terminal that started it.

const START_TIMEOUT_MS = 10_000;

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The running hub, started detached (so it outlives this terminal) when there is none. */
export async function ensureHub(ctx: Context): Promise<HubClient> {
  const found = await findHub(ctx);
  if (found && (await healthy(found.info.port))) return found;
  const stateDir = ctx.settings.paths.stateDir;
  await ctx.host.files.mkdirp(stateDir, 0o700);
  const pid = ctx.host.spawnDetached(csmSelfArgv("server", "--port", String(ctx.settings.apiPort)), hubLogPath(stateDir), { env: withoutTmuxVariables(ctx.env) });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await Bun.sleep(50);
    const hub = await findHub(ctx);
    if (hub && (await healthy(hub.info.port))) return hub;
    // Ours is gone, but another may be starting on the port (creates run at once): wait
    // for its hub.json while something answers there.
    if (!hub && !processAlive(pid) && !(await healthy(ctx.settings.apiPort))) break;
  }
  const log = ((await ctx.host.files.read(hubLogPath(stateDir))) ?? "").trim().split("\n").slice(-3).join(" | ");
  throw new CsmError("HubNotStarted", `the csm hub did not start on port ${ctx.settings.apiPort}${log ? `: ${log}` : ""} (see ${hubLogPath(stateDir)})`);
}
