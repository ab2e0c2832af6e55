import { createContext } from "../../core/context.ts";
import { findHub } from "../../hub/client.ts";
import { ensureHub } from "../../hub/hub-start.ts";
import { liveHubInfo, processAlive } from "../../hub/hub-files.ts";
import { startHub } from "../../hub/server.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// `csm server` runs the hub in the foreground; `status` and `stop` manage a running one.
export async function run(argv: string[], io: Output): Promise<number> {
  const sub = argv[0] === "status" || argv[0] === "stop" || argv[0] === "start" ? argv[0] : null;
  const { flags } = parseFlags("server", sub ? argv.slice(1) : argv, { port: { type: "string" }, listen: { type: "string" }, json: { type: "boolean" } }, { min: 0, max: 0 });
  const ctx = await createContext();
  if (sub === "status") return status(ctx, io, flags.json ?? false);
  if (sub === "start") {
    // Started detached if it is not running (another host's hub asks for this over SSH).
    await ensureHub(ctx);
    return status(ctx, io, flags.json ?? false);
  }
  if (sub === "stop") return stop(ctx, io);

  const running = await liveHubInfo(ctx.settings.paths.stateDir);
  if (running) {
    io.err(`csm: a hub is already running (pid ${running.pid}, port ${running.port}); \`csm server stop\` it first`);
    return 1;
  }
  const port = flags.port === undefined ? ctx.settings.apiPort : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`server: --port must be a port number (got ${JSON.stringify(flags.port)})`);
  const hostname = flags.listen ?? "127.0.0.1";
  if (hostname !== "127.0.0.1") {
    io.err(`csm: warning: the hub listens on ${hostname}, not only this machine: anyone who can reach it and has the token can run commands as you`);
  }
  const hub = await startHub(ctx, { port, hostname });
  io.out(`csm hub listening on ${hostname}:${hub.port} (pid ${process.pid})`);
  await io.flush();
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await hub.stop();
  ctx.close();
  return 0;
}

async function status(ctx: Awaited<ReturnType<typeof createContext>>, io: Output, json: boolean): Promise<number> {
  const info = await liveHubInfo(ctx.settings.paths.stateDir);
  const result = info ? { running: true, pid: info.pid, port: info.port, version: info.version, startedAt: info.startedAt } : { running: false };
  if (json) printJson(io, result);
  else io.out(info ? `running: pid ${info.pid}, port ${info.port}, version ${info.version}, since ${info.startedAt}` : "not running");
  return info ? 0 : 1;
}

async function stop(ctx: Awaited<ReturnType<typeof createContext>>, io: Output): Promise<number> {
  const hub = await findHub(ctx);
  if (!hub) {
    io.out("not running");
    return 0;
  }
  // Only signal the process the hub itself says it is, so a recycled pid is never hit.
  const server = await hub.request<{ pid: number }>("GET", "/api/server");
  if (server.pid !== hub.info.pid) {
    io.err(`csm: hub.json names pid ${hub.info.pid} but the hub on port ${hub.info.port} is pid ${server.pid}; not stopping`);
    return 1;
  }
  process.kill(server.pid, "SIGTERM");
  for (let i = 0; i < 100 && processAlive(server.pid); i++) await Bun.sleep(50);
  io.out(`stopped hub (pid ${server.pid})`);
  return 0;
}
