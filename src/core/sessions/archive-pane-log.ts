import { join } from "node:path";
import { csmSelfArgv } from "../../shared/self.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { AGENT_WINDOW, tmuxSessionName, type Context } from "../context.ts";

// The agent pane's output, kept for the archive: tmux pipes it into `csm pane-log FILE`
// (cli/commands/pane-log.ts, host/pane-log.ts), which keeps the newest 1 MB. One log per
// life of a session, so a name made again starts a new one.

/** Where a life of a session keeps its pane's output, under the state dir. */
export function paneLogPath(ctx: Context, record: Pick<SessionRecord, "name" | "createdAt">): string {
  return join(ctx.settings.paths.stateDir, "pane-logs", `${record.name}-${record.createdAt.replace(/[^0-9A-Za-z]/g, "")}.log`);
}

/**
 * Starts logging the agent pane (create, reconnect: right after the agent window exists),
 * replacing any pipe it had. A log is a help, not a need: failing to start one is said,
 * never fatal. Returns why it could not start, or null.
 */
export async function startPaneLog(ctx: Context, record: Pick<SessionRecord, "name" | "createdAt">): Promise<string | null> {
  try {
    await ctx.host.files.mkdirp(join(ctx.settings.paths.stateDir, "pane-logs"), 0o700);
    await ctx.tmux.pipePane(tmuxSessionName(record.name), AGENT_WINDOW, csmSelfArgv("pane-log", paneLogPath(ctx, record)));
    return null;
  } catch (error) {
    return `the agent pane's output is not logged for the archive: ${(error as Error).message}`;
  }
}
