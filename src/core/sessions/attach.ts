import { realpathSync } from "node:fs";
import { notFoundError } from "../../shared/errors.ts";
import { withoutTmuxVariables } from "../../shared/tmux-env.ts";
import { checkName } from "../../shared/names.ts";
import type { Tmux } from "../../adapters/tmux.ts";
import { AGENT_WINDOW, SHELL_WINDOW, tmuxSessionName, type Context } from "../context.ts";

export interface AttachCommand {
  argv: string[];
  env: Record<string, string>;
}

const canonical = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/** True when $TMUX names the very server csm uses, so switch-client can move this client. */
export function insideSameServer(tmux: Tmux, env: NodeJS.ProcessEnv, uid: number): boolean {
  if (!env.TMUX) return false;
  const socket = env.TMUX.split(",")[0] ?? "";
  return canonical(socket) === canonical(tmux.socketPath(env, uid));
}

/**
 * Inside csm's tmux server, switch this client over; anywhere else (no tmux, or another
 * server) attach a new client, with TMUX removed so tmux does not refuse to nest.
 */
export function attachCommand(tmux: Tmux, target: string, env: NodeJS.ProcessEnv, uid: number): AttachCommand {
  if (insideSameServer(tmux, env, uid)) {
    const base = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return { argv: tmux.argv(["switch-client", "-t", target]), env: base };
  }
  return { argv: tmux.argv(["attach-session", "-t", target]), env: withoutTmuxVariables(env) };
}

export async function attachSession(ctx: Context, name: string, shell: boolean): Promise<number> {
  checkName("session", name);
  const session = tmuxSessionName(name);
  if (!(await ctx.tmux.hasSession(session))) {
    const record = ctx.sessions().get(ctx.host.hostName, name);
    throw notFoundError("running tmux session", session, record ? "the session is dead; `csm kill` it (reconnect comes with the live link)" : "see `csm list`");
  }
  const target = `=${session}:${shell ? SHELL_WINDOW : AGENT_WINDOW}`;
  const command = attachCommand(ctx.tmux, target, ctx.env, process.getuid?.() ?? 0);
  return ctx.host.runAttached(command.argv, { env: command.env });
}
