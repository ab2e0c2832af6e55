import { csmPaths } from "../../config/paths.ts";
import { createContext } from "../../core/context.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { liveHubInfo, runningHub, terminateHub } from "../../hub-client/hub-files.ts";
import { isLoopbackAddress } from "../../hub/browser-guard.ts";
import { startHub, type HubListenOptions } from "../../hub/server.ts";
import type { Context } from "../../core/context.ts";
import { CsmError, usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

const STOP_WAIT_MS = 10_000;

// `csm server` runs the hub in the foreground; `status` and `stop` manage a running one.
// Those two need only the state dir: they work with a config that does not load, and
// without the token (the hub is named by its lock, see hub-client/hub-files.ts).
export async function run(argv: string[], io: Output): Promise<number> {
  const sub = argv[0] === "status" || argv[0] === "stop" || argv[0] === "start" ? argv[0] : null;
  const { flags } = parseFlags("server", sub ? argv.slice(1) : argv, { port: { type: "string" }, listen: { type: "string" }, json: { type: "boolean" } }, { min: 0, max: 0 });
  if (sub === "status") return status(csmPaths().stateDir, io, flags.json ?? false);
  if (sub === "stop") return stop(csmPaths().stateDir, io);
  const ctx = await createContext();
  if (sub === "start") {
    // Started detached if it is not running (another host's hub asks for this over SSH).
    await ensureHub(ctx);
    ctx.close();
    return status(ctx.settings.paths.stateDir, io, flags.json ?? false);
  }

  const port = flags.port === undefined ? ctx.settings.apiPort : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`server: --port must be a port number (got ${JSON.stringify(flags.port)})`);
  const hostname = flags.listen ?? "127.0.0.1";
  let hub: Awaited<ReturnType<typeof startHub>>;
  try {
    hub = await startHub(ctx, { port, hostname, tls: await tlsFor(ctx, hostname) });
  } catch (error) {
    ctx.close();
    // Another hub has the state dir (a bridge or a command started it at the same moment): not a failure of that hub.
    if (error instanceof CsmError && error.name === "HubAlreadyRunning") {
      io.err(`csm: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (hostname !== "127.0.0.1") {
    io.err(`csm: warning: the hub listens on ${hostname}, not only this machine: anyone who can reach it and has the token can run commands as you`);
  }
  // With tls: https where others reach it; this machine's clients keep plain loopback.
  if (hub.publicPort !== null) io.out(`csm hub listening on ${hostname}:${hub.publicPort} (pid ${process.pid}, https) and 127.0.0.1:${hub.port} for this machine`);
  else io.out(`csm hub listening on ${hostname}:${hub.port} (pid ${process.pid}${isLoopbackAddress(hostname) ? "" : ", https"})`);
  await io.flush();
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await hub.stop();
  ctx.close();
  return 0;
}

/**
 * Beyond this machine the hub speaks HTTPS only (the token and cookies would cross the
 * network in the clear otherwise): the config's tls files, readable, or a refusal that says so.
 * On loopback it stays plain HTTP, which every local client speaks.
 */
async function tlsFor(ctx: Context, hostname: string): Promise<HubListenOptions["tls"]> {
  if (isLoopbackAddress(hostname)) return undefined;
  const tls = ctx.settings.config.tls;
  const configFile = ctx.settings.paths.configFile;
  if (!tls) {
    throw usageError(
      `server: --listen ${hostname} reaches beyond this machine, so the hub needs TLS: set "tls": {"cert": PATH, "key": PATH} (PEM files) in ${configFile}, ` +
        "or keep it on 127.0.0.1 and reach it through an SSH tunnel (ssh -L) — see the README",
      { listen: hostname },
    );
  }
  for (const field of ["cert", "key"] as const) {
    try {
      if ((await Bun.file(tls[field]).text()).trim() === "") throw new Error("the file is empty");
    } catch (error) {
      throw usageError(`server: tls.${field} in ${configFile}: ${tls[field]} cannot be read (${(error as Error).message}); the hub does not listen on ${hostname} without TLS`, {
        field: `tls.${field}`,
      });
    }
  }
  return tls;
}

async function status(stateDir: string, io: Output, json: boolean): Promise<number> {
  await liveHubInfo(stateDir); // removes a hub.json whose process is gone
  const running = await runningHub(stateDir);
  const info = running?.info ?? null;
  const result = !running
    ? { running: false }
    : { running: true, pid: running.pid, port: info?.port ?? null, version: info?.version ?? null, startedAt: info?.startedAt ?? null };
  if (json) printJson(io, result);
  else if (!running) io.out("not running");
  else io.out(info ? `running: pid ${info.pid}, port ${info.port}, version ${info.version}, since ${info.startedAt}` : `starting: pid ${running.pid}`);
  return running ? 0 : 1;
}

async function stop(stateDir: string, io: Output): Promise<number> {
  const running = await runningHub(stateDir);
  if (!running) {
    io.out("not running");
    return 0;
  }
  if (!(await terminateHub(running, STOP_WAIT_MS))) {
    io.err(`csm: the hub (pid ${running.pid}) did not stop within ${STOP_WAIT_MS / 1000} s; see ${stateDir}/hub.log`);
    return 1;
  }
  io.out(`stopped hub (pid ${running.pid})`);
  return 0;
}
