import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { createContext } from "../../core/context.ts";
import { attachCommand, insideSameServer } from "../../core/sessions/attach.ts";
import { AGENT_WINDOW, SHELL_WINDOW, tmuxSessionName } from "../../core/context.ts";
import { HostRegistry } from "../../core/hosts/host-registry.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { withoutTmuxVariables } from "../../shared/tmux-env.ts";
import { DashboardApp } from "../../tui/dashboard-app.ts";
import { openScreen } from "../../tui/screen.ts";
import type { Output } from "../io.ts";

// `csm` with no arguments: the dashboard, a client of the hub (started if needed).
export async function run(_argv: string[], io: Output): Promise<number> {
  const ctx = await createContext();
  const hub = await ensureHub(ctx);
  const logFile = `${ctx.settings.paths.stateDir}/dashboard.log`;
  const log = (error: unknown) => {
    try {
      appendFileSync(logFile, `${new Date().toISOString()} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, { mode: 0o600 });
    } catch {
      // The log is a help, never a reason to fail.
    }
  };
  const screen = openScreen({ noColour: Boolean(process.env.NO_COLOR) });
  const uid = process.getuid?.() ?? 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolveFinished) => (finish = resolveFinished));

  const app = new DashboardApp(
    {
      hub,
      draw: (model) => screen.draw(model),
      size: () => screen.size(),
      log,
      createDefaults: { repo: ctx.settings.config.defaultRepo ?? null, mode: ctx.settings.sessionMode },
      resolvePath: (path) => resolve(process.cwd(), path),
      quit: () => finish(),
      ...(ctx.settings.config.notify ? { alert: (title: string, message: string) => screen.alert(title, message), alertOn: ctx.settings.config.notify.on } : {}),
      async attach(session, host, shell) {
        if (host !== "local") {
          // On another host: its csm attaches there, through ssh -t.
          const registry = new HostRegistry(ctx);
          try {
            const remote = await registry.get(host);
            if (!remote) return `unknown host ${host}`;
            await screen.suspended(() => remote.runner.runAttached([remote.csm, "attach", session, ...(shell ? ["--shell"] : [])]));
            return null;
          } finally {
            registry.close();
          }
        }
        const target = `=${tmuxSessionName(session)}:${shell ? SHELL_WINDOW : AGENT_WINDOW}`;
        if (insideSameServer(ctx.tmux, ctx.env, uid)) {
          // The dashboard runs in the same tmux server: move this client there; the
          // dashboard stays where it is, one `prefix L` away.
          const { argv, env } = attachCommand(ctx.tmux, target, ctx.env, uid);
          await ctx.host.run(argv, { env });
          return `switched to ${tmuxSessionName(session)}; come back with your tmux prefix then L`;
        }
        const { argv, env } = attachCommand(ctx.tmux, target, withoutTmuxVariables(ctx.env), uid);
        await screen.suspended(() => ctx.host.runAttached(argv, { env }));
        return null;
      },
    },
    ["local"],
  );
  screen.onKey((full, ch) => app.onKey(full, ch));
  screen.onResize(() => app.requestDraw());
  app.start();
  await finished;
  app.stop();
  screen.destroy();
  ctx.close();
  await io.flush();
  // Open sockets (the event stream) would keep the process alive.
  process.exit(0);
}
