import type { Transport } from "../live/live-state.ts";
import { agentPaneArgv } from "../../link/launch.ts";
import { notFoundError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { AGENT_WINDOW, SHELL_WINDOW, tmuxSessionName, type Context } from "../context.ts";
import { startPaneLog } from "./archive-pane-log.ts";
import { writeLaunchSpec } from "./create.ts";
import { portEnvironment } from "./port-blocks.ts";
import { requireClaude } from "./preflight.ts";

/**
 * Starts claude again in the session's worktree with `--resume <its claude session id>`
 * (claude finds a conversation only from the cwd it was made in). The tmux session is
 * made again if it is gone; otherwise the agent pane is respawned.
 */
export async function reconnectSession(ctx: Context, name: string, hubPort: number): Promise<void> {
  checkName("session", name);
  const record = ctx.sessions().get(ctx.host.hostName, name);
  if (!record) throw notFoundError("session", name, "see `csm list`");
  const claudeBin = await requireClaude(ctx);
  if (!(await ctx.host.files.exists(record.worktree))) {
    throw notFoundError("worktree", record.worktree, `the session's worktree is gone; \`csm kill ${name}\` and create it again`);
  }
  await writeLaunchSpec(ctx, record, claudeBin, { resume: true, hubPort });
  ctx.sessions().clearExit(record.host, name);
  const session = tmuxSessionName(name);
  const argv = agentPaneArgv((record.transport ?? "bridge") as Transport, name);
  if (await ctx.tmux.hasSession(session)) {
    await ctx.tmux.respawnPane(session, AGENT_WINDOW, record.worktree, argv);
    // The same life of the session: its log goes on in the same file.
    await startPaneLog(ctx, record, (record.transport ?? "bridge") as Transport);
    return;
  }
  await ctx.tmux.newSession({ session, window: AGENT_WINDOW, cwd: record.worktree, argv });
  await ctx.tmux.setWindowOption(session, AGENT_WINDOW, "remain-on-exit", "on");
  // As create sets it: windows a person opens later get the session's ports too.
  for (const [variable, value] of Object.entries(portEnvironment(record.portBase))) await ctx.tmux.setSessionEnvironment(session, variable, value);
  await startPaneLog(ctx, record, (record.transport ?? "bridge") as Transport);
  await ctx.tmux.newShellWindow(session, SHELL_WINDOW, record.worktree, { env: portEnvironment(record.portBase) });
}
