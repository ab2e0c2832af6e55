import { join } from "node:path";
import { csmSelfArgv } from "../../shared/self.ts";
import type { Transport } from "../live/live-state.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { AGENT_WINDOW, tmuxSessionName, type Context } from "../context.ts";

// The agent pane's output, kept for the archive, the newest 1 MB (host/pane-log.ts). With the
// bridge, which draws the whole pane, the bridge writes it (LaunchSpec.paneLog); when claude
// itself runs in the pane (sdk-url), tmux pipes the pane into `csm pane-log FILE`. One log
// per life of a session, so a name made again starts a new one.

/** Where a life of a session keeps its pane's output, under the state dir. */
export function paneLogPath(ctx: Context, record: Pick<SessionRecord, "name" | "createdAt">): string {
  return join(ctx.settings.paths.stateDir, "pane-logs", `${record.name}-${record.createdAt.replace(/[^0-9A-Za-z]/g, "")}.log`);
}

/**
 * Starts logging the agent pane (create, reconnect: right after the agent window exists),
 * replacing any pipe it had. A log is a help, not a need: failing to start one is said,
 * never fatal. Returns why it could not start, or null.
 */
export async function startPaneLog(ctx: Context, record: Pick<SessionRecord, "name" | "createdAt">, transport: Transport): Promise<string | null> {
  try {
    await ctx.host.files.mkdirp(join(ctx.settings.paths.stateDir, "pane-logs"), 0o700);
    if (transport === "bridge") return null;
    await ctx.tmux.pipePane(tmuxSessionName(record.name), AGENT_WINDOW, csmSelfArgv("pane-log", paneLogPath(ctx, record)));
    return null;
  } catch (error) {
    return `the agent pane's output is not logged for the archive: ${(error as Error).message}`;
  }
}
