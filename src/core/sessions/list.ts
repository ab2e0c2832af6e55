import type { Context } from "../context.ts";
import { mergeSessions, type SessionView } from "./session-view.ts";

export async function listSessions(ctx: Context): Promise<SessionView[]> {
  // Ask tmux first and read the store while it answers: the two overlap.
  const panes = ctx.tmux.listPanes();
  const records = ctx.sessions().all(ctx.host.hostName);
  return mergeSessions(ctx.host.hostName, records, await panes);
}
