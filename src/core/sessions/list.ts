import type { Context } from "../context.ts";
import { mergeSessions, type SessionView } from "./session-view.ts";

export async function listSessions(ctx: Context): Promise<SessionView[]> {
  const panes = await ctx.tmux.listPanes();
  return mergeSessions(ctx.host.hostName, ctx.sessions().all(ctx.host.hostName), panes);
}
