import { claudeConfigDir } from "../config/claude-config-dir.ts";
import { serveWebAsset } from "./web-assets.ts";
import type { Server, ServerWebSocket } from "bun";
import type { Context } from "../core/context.ts";
import type { Transport } from "../core/live/live-state.ts";
import { VERSION } from "../shared/version.ts";
import { CsmError } from "../shared/errors.ts";
import { isValidName } from "../shared/names.ts";
import type { AgentSocketData } from "./agent-link.ts";
import { Hub } from "./hub.ts";
import { hubInfoPath, hubStoppedPath, readHubInfo, type HubInfo } from "../hub-client/hub-files.ts";
import { errorResponse, httpError, json, MAX_BODY_BYTES, readCapped, readJson } from "./http.ts";
import { findRoute } from "./routes/index.ts";
import { MAX_HOOK_BODY_BYTES } from "../link/hook-server.ts";
import { bearer, secretsMatch } from "../shared/secrets.ts";
import { forwardedAnswer } from "./forwarded-answer.ts";
import { AGENT_CHALLENGE_HEADER, AGENT_LINK_VERSION, agentProof, hubProof, isNonce, linkSeal, newNonce } from "../link/agent-proof.ts";
import { TokenSource } from "./token-source.ts";
import { startSyncTimer } from "./sync-timer.ts";
import { processStartTime } from "../shared/process-alive.ts";
import { tryStateLock } from "../shared/state-lock.ts";
import { WebSessionStore } from "../store/web-sessions.ts";
import { BrowserGuard, changesState } from "./browser-guard.ts";
import { attachWebAuth, cookieOf, WebLogin } from "./web-login.ts";

// The hub: one Bun.serve, on 127.0.0.1 unless told otherwise, carrying the API (token),
// the event streams (token or a single-use ticket) and the agent sockets (a secret per
// session). No CORS headers unless the config names the origin.

export interface RunningHub {
  server: Server<AgentSocketData>;
  hub: Hub;
  /** The port this machine's clients use (hub.json): the plain loopback listener. */
  port: number;
  /** With tls: the HTTPS port others (the web page) reach it on. */
  publicPort: number | null;
  stop(): Promise<void>;
}

export const tokenPath = (ctx: Context) => `${ctx.settings.paths.configDir}/token`;

const unauthorized = () => json({ error: { name: "Unauthorized", message: "missing or wrong token (see `csm token`)", data: {} } }, 401);

function corsHeaders(ctx: Context, request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !(ctx.settings.config.apiAllowedOrigins ?? []).includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-headers": "authorization, content-type, last-event-id",
    "access-control-allow-methods": "GET, POST, PATCH, DELETE",
    vary: "origin",
  };
}

/**
 * Starts the hub, holding the state dir's lock from before it opens the store until it
 * has stopped: a second hub for the same state dir refuses (HubAlreadyRunning) whenever
 * it is started, so bridges and commands that start one at the same moment get one hub.
 */
export interface HubListenOptions {
  port: number;
  hostname?: string;
  /** PEM files: the hub serves HTTPS (and browser cookies are Secure). */
  tls?: { cert: string; key: string };
}

export async function startHub(ctx: Context, options: HubListenOptions): Promise<RunningHub> {
  const stateDir = ctx.settings.paths.stateDir;
  const lock = tryStateLock(stateDir);
  if (!lock.acquired) throw await hubAlreadyRunning(ctx, lock.owner.pid);
  try {
    // This start is wanted, whoever asked: bridges may bring it back again if it dies.
    await ctx.host.files.remove(hubStoppedPath(stateDir));
    return await listen(ctx, options, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function hubAlreadyRunning(ctx: Context, pid: number): Promise<CsmError> {
  const info = await readHubInfo(ctx.settings.paths.stateDir);
  // hub.json may still name a hub before it (the winner has not written its own yet).
  const port = info?.pid === pid ? info.port : null;
  const where = port === null ? "starting" : `port ${port}`;
  return new CsmError("HubAlreadyRunning", `a hub is already running for ${ctx.settings.paths.stateDir} (pid ${pid}, ${where}); \`csm server stop\` it first`, {
    data: { pid, port },
  });
}

async function listen(ctx: Context, options: HubListenOptions, releaseLock: () => void): Promise<RunningHub> {
  const tokens = new TokenSource(tokenPath(ctx));
  const hub = new Hub(ctx);
  const startedAt = Date.now();
  const hostname = options.hostname ?? "127.0.0.1";
  const web = attachWebAuth(hub, {
    login: new WebLogin(new WebSessionStore(ctx.database())),
    guard: new BrowserGuard({ listen: hostname, tls: options.tls !== undefined, names: () => ctx.settings.config.webHostNames ?? [] }),
  });

  async function route(request: Request, url: URL): Promise<Response> {
    const found = findRoute(request.method, url.pathname, (word) => hub.isHost(word));
    if (!found) return json({ error: { name: "NotFound", message: `no route ${url.pathname}`, data: {} } }, 404);
    if (found === "method") return json({ error: { name: "MethodNotAllowed", message: `${request.method} is not allowed here`, data: {} } }, 405);
    const authorized =
      found.route.public ||
      secretsMatch(bearer(request.headers.get("authorization")), tokens.current()) ||
      (found.route.stream === true && hub.tickets.redeem(url.searchParams.get("ticket")));
    if (!authorized) {
      // A browser's session cookie counts like the token; what it changes must come from the hub's own page.
      if (!web.login.session(cookieOf(request))) return unauthorized();
      const foreign = changesState(request.method) ? web.guard.originRefusal(request) : null;
      if (foreign) return foreign;
    }
    // A session on another host: its hub answers, through the port forward.
    const name = found.params.name;
    if (name !== undefined && isValidName(name)) {
      const host = await hub.locate(name, found.params.host);
      if (host !== ctx.host.hostName) return forwardToHost(hub, host, name, found.route.path, request, url);
    }
    return found.route.handle({ hub, request, params: found.params, url, startedAt });
  }

  // The handlers every listener shares: the API, the page, the agent socket, hooks.
  const serving = {
    idleTimeout: 0,
    async fetch(request: Request, server: Server<AgentSocketData>) {
      // Before anything else, every path: a page that rebound its own domain to this address names that domain.
      const misdirected = web.guard.hostRefusal(request);
      if (misdirected) return misdirected;
      const url = new URL(request.url);
      const cors = corsHeaders(ctx, request);
      if (request.method === "OPTIONS") return new Response(null, { status: Object.keys(cors).length ? 204 : 403, headers: cors });
      let response: Response | undefined;
      try {
        if (url.pathname.startsWith("/ws/agent/")) response = agentUpgrade(ctx, request, server, url);
        else if (url.pathname.startsWith("/hooks/")) response = await hookCall(ctx, hub, request, url);
        else response = serveWebAsset(request, url) ?? (await route(request, url));
      } catch (error) {
        response = errorResponse(error);
      }
      if (response) for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    },
    websocket: {
      open: (socket: ServerWebSocket<AgentSocketData>) => hub.links.open(socket),
      message: (socket: ServerWebSocket<AgentSocketData>, data: string | Buffer) => hub.links.message(socket, data),
      close: (socket: ServerWebSocket<AgentSocketData>) => hub.links.close(socket),
      sendPings: true,
      idleTimeout: 60,
    },
  };

  let server: Server<AgentSocketData>;
  let outside: Server<AgentSocketData> | null = null;
  try {
    if (options.tls) {
      // Reached from elsewhere: HTTPS there, for the web page. Everything on this machine (the
      // CLI, the dashboard, the bridges' agent sockets) keeps a plain listener on loopback,
      // which hub.json names, so none of them has to trust the certificate.
      outside = Bun.serve<AgentSocketData, never>({ hostname, port: options.port, tls: { cert: Bun.file(options.tls.cert), key: Bun.file(options.tls.key) }, ...serving });
      server = Bun.serve<AgentSocketData, never>({ hostname: "127.0.0.1", port: 0, ...serving });
    } else {
      server = Bun.serve<AgentSocketData, never>({ hostname, port: options.port, ...serving });
    }
  } catch (error) {
    outside?.stop(true);
    await hub.stop();
    throw new CsmError("HubCannotListen", `the hub cannot listen on ${hostname}:${options.port}: ${(error as Error).message} (set apiPort in the config or CSM_PORT)`);
  }
  web.guard.publicPort = outside?.port ?? null;

  const port = server.port!;
  hub.port = port;
  const stateDir = ctx.settings.paths.stateDir;
  const info: HubInfo = {
    pid: process.pid,
    port,
    version: VERSION,
    startedAt: new Date(startedAt).toISOString(),
    procStart: processStartTime(process.pid),
    claudeConfigDir: claudeConfigDir(ctx.env),
    agentLink: AGENT_LINK_VERSION,
  };
  await ctx.host.files.writeAtomic(hubInfoPath(stateDir), JSON.stringify(info), 0o600);
  void hub.checkAll();
  hub.notifier.start();
  hub.statusSummary.start(() => hub.list());
  hub.remotes.start();
  hub.conversations.start();
  const stopSync = startSyncTimer(ctx, hub);
  return {
    server,
    hub,
    port,
    publicPort: outside?.port ?? null,
    async stop() {
      // Said before the sockets close: a bridge that loses its link must find it, or it
      // would start the hub again that a person (or the system) just stopped.
      await ctx.host.files.writeAtomic(hubStoppedPath(stateDir), JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), 0o600);
      // The hub stops first (no new timers from sockets the server is about to close).
      stopSync();
      const hubStopped = hub.stop();
      server.stop(true);
      outside?.stop(true);
      await hubStopped;
      const current = await ctx.host.files.read(hubInfoPath(stateDir));
      if (current && (JSON.parse(current) as HubInfo).pid === process.pid) await ctx.host.files.remove(hubInfoPath(stateDir));
      releaseLock();
    },
  };
}

/** A request for a remote host's session, passed to that host's hub (where the session is `local`). */
async function forwardToHost(hub: Hub, host: string, name: string, routePath: string, request: Request, url: URL): Promise<Response> {
  const { client, error } = hub.remotes.hubOf(host);
  if (!client) throw httpError("HostUnreachable", `${host} cannot be reached right now (${error ?? "no hub"}); see \`csm hosts\``, { host });
  const suffix = routePath.slice(routePath.indexOf(":name") + ":name".length);
  const passOn = ["last-event-id"].flatMap((h) => (request.headers.get(h) ? [[h, request.headers.get(h)!] as const] : []));
  const body = request.method === "GET" ? null : new TextDecoder().decode(await readCapped(request, MAX_BODY_BYTES));
  const answer = await client.forward(request.method, `/api/sessions/local/${encodeURIComponent(name)}${suffix}${url.search}`, body, Object.fromEntries(passOn));
  return forwardedAnswer(answer, host);
}

/** A session name from a path segment, when it decodes to a valid one. */
function sessionNamed(encoded: string): string | null {
  try {
    const session = decodeURIComponent(encoded);
    return isValidName(session) ? session : null;
  } catch {
    return null;
  }
}

/** The session a `/ws/agent/NAME` or `/hooks/NAME/…` request is for, if its agent secret is right. */
function agentSession(ctx: Context, request: Request, encoded: string): string | null {
  const session = sessionNamed(encoded);
  if (!session) return null;
  const record = ctx.sessions().get(ctx.host.hostName, session);
  return record && secretsMatch(bearer(request.headers.get("authorization")), record.agentSecret) ? session : null;
}

// The same answer for an unknown session and a wrong secret: nothing to probe.
const agentRefused = () => json({ error: { name: "Unauthorized", message: "agent secret refused", data: {} } }, 401);

/** `POST /hooks/NAME/pre-tool-use`: claude's PreToolUse hook, for sdk-url sessions (see Approvals.preToolUse). */
async function hookCall(ctx: Context, hub: Hub, request: Request, url: URL): Promise<Response> {
  const [, , encoded, event] = url.pathname.split("/");
  const session = agentSession(ctx, request, encoded ?? "");
  if (!session) return agentRefused();
  if (request.method !== "POST" || event !== "pre-tool-use") throw httpError("NotFound", "no such hook");
  // Capped while it streams in, like every body the hub reads.
  return json(await hub.approvals.preToolUse(session, await readJson(request, MAX_HOOK_BODY_BYTES)));
}

function agentUpgrade(ctx: Context, request: Request, server: Server<AgentSocketData>, url: URL): Response | undefined {
  const asked = url.searchParams.get("transport");
  const transport: Transport = asked === "bridge" || asked === "native" ? asked : "sdk-url";
  const challenge = request.headers.get(AGENT_CHALLENGE_HEADER);
  if (challenge !== null) return challengedUpgrade(ctx, request, server, url, transport, challenge);
  const session = agentSession(ctx, request, url.pathname.slice("/ws/agent/".length));
  if (!session) return agentRefused();
  if (server.upgrade(request, { data: { session, transport } })) return undefined;
  throw httpError("NotWebSocket", "this endpoint takes a WebSocket upgrade");
}

/**
 * A bridge or native supervisor, which sends a nonce instead of its secret (see
 * link/agent-proof.ts). An unknown session is challenged like a known one, with a proof
 * no secret can match: nothing to probe.
 */
function challengedUpgrade(ctx: Context, request: Request, server: Server<AgentSocketData>, url: URL, transport: Transport, challenge: string): Response | undefined {
  const session = sessionNamed(url.pathname.slice("/ws/agent/".length));
  if (!session || !isNonce(challenge) || transport === "sdk-url") return agentRefused();
  const secret = ctx.sessions().get(ctx.host.hostName, session)?.agentSecret ?? newNonce();
  const hubNonce = newNonce();
  const proving = {
    challenge: { type: "csm_challenge" as const, nonce: hubNonce, proof: hubProof(secret, session, challenge) },
    expected: agentProof(secret, session, hubNonce),
    seal: linkSeal(secret, session, challenge, hubNonce, "hub"),
  };
  if (server.upgrade(request, { data: { session, transport, proving } })) return undefined;
  throw httpError("NotWebSocket", "this endpoint takes a WebSocket upgrade");
}
