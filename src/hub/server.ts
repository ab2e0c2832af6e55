import type { Server } from "bun";
import type { Context } from "../core/context.ts";
import type { Transport } from "../core/live/live-state.ts";
import { VERSION } from "../cli/version.ts";
import type { AgentSocketData } from "./agent-link.ts";
import { Hub } from "./hub.ts";
import { hubInfoPath, type HubInfo } from "./hub-files.ts";
import { errorResponse, httpError, json } from "./http.ts";
import { findRoute } from "./routes.ts";
import { bearer, ensureToken, secretsMatch } from "./token.ts";
import { CsmError } from "../shared/errors.ts";
import { isValidName } from "../shared/names.ts";

// The hub: one Bun.serve on 127.0.0.1 carrying the API (token), the event streams and
// the agent sockets (a secret per session).

export interface RunningHub {
  server: Server<AgentSocketData>;
  hub: Hub;
  port: number;
  stop(): Promise<void>;
}

export const tokenPath = (ctx: Context) => `${ctx.settings.paths.configDir}/token`;

export async function startHub(ctx: Context, options: { port: number; hostname?: string }): Promise<RunningHub> {
  const token = ensureToken(tokenPath(ctx));
  const hub = new Hub(ctx);
  const startedAt = Date.now();
  const hostname = options.hostname ?? "127.0.0.1";

  let server: Server<AgentSocketData>;
  try {
    server = serve();
  } catch (error) {
    hub.stop();
    throw new CsmError("HubCannotListen", `the hub cannot listen on ${hostname}:${options.port}: ${(error as Error).message} (set apiPort in the config or CSM_PORT)`);
  }
  function serve() {
    return Bun.serve<AgentSocketData, never>({
    hostname,
    port: options.port,
    idleTimeout: 0,
    async fetch(request, server) {
      const url = new URL(request.url);
      try {
        if (url.pathname.startsWith("/ws/agent/")) return agentUpgrade(ctx, request, server, url);
        const found = findRoute(request.method, url.pathname);
        if (!found) return json({ error: { name: "NotFound", message: `no route ${url.pathname}`, data: {} } }, 404);
        if (found === "method") return json({ error: { name: "MethodNotAllowed", message: `${request.method} is not allowed here`, data: {} } }, 405);
        if (!found.route.public && !secretsMatch(bearer(request.headers.get("authorization")), token)) {
          return json({ error: { name: "Unauthorized", message: "missing or wrong token (see `csm token`)", data: {} } }, 401);
        }
        return await found.route.handle({ hub, request, params: found.params, url, startedAt });
      } catch (error) {
        return errorResponse(error);
      }
    },
    websocket: {
      open: (socket) => hub.links.open(socket),
      message: (socket, data) => hub.links.message(socket, data),
      close: (socket) => hub.links.close(socket),
      sendPings: true,
      idleTimeout: 60,
    },
    });
  }

  const port = server.port!;
  hub.port = port;
  const info: HubInfo = { pid: process.pid, port, version: VERSION, startedAt: new Date(startedAt).toISOString() };
  await ctx.host.files.writeAtomic(hubInfoPath(ctx.settings.paths.stateDir), JSON.stringify(info), 0o600);
  void hub.checkAll();
  return {
    server,
    hub,
    port,
    async stop() {
      hub.stop();
      server.stop(true);
      const current = await ctx.host.files.read(hubInfoPath(ctx.settings.paths.stateDir));
      if (current && (JSON.parse(current) as HubInfo).pid === process.pid) await ctx.host.files.remove(hubInfoPath(ctx.settings.paths.stateDir));
    },
  };
}

function agentUpgrade(ctx: Context, request: Request, server: Server<AgentSocketData>, url: URL): Response | undefined {
  let session: string;
  try {
    session = decodeURIComponent(url.pathname.slice("/ws/agent/".length));
  } catch {
    session = "";
  }
  if (!isValidName(session)) return json({ error: { name: "NotFound", message: "no such session", data: {} } }, 404);
  const record = ctx.sessions().get(ctx.host.hostName, session);
  // The same answer for an unknown session and a wrong secret: nothing to probe.
  if (!record || !secretsMatch(bearer(request.headers.get("authorization")), record.agentSecret)) {
    return json({ error: { name: "Unauthorized", message: "agent secret refused", data: {} } }, 401);
  }
  const transport: Transport = url.searchParams.get("transport") === "bridge" ? "bridge" : "sdk-url";
  if (server.upgrade(request, { data: { session, transport } })) return undefined;
  throw httpError(400, "NotWebSocket", "this endpoint takes a WebSocket upgrade");
}
