import { VERSION } from "../cli/version.ts";
import { CsmError } from "../shared/errors.ts";
import type { Hub } from "./hub.ts";
import { httpError, json, readJson, stringField } from "./http.ts";
import type { PublishedEvent } from "./live-sessions.ts";
import { sseResponse } from "./sse.ts";

// The HTTP API as a table of routes. The table is data so a test can walk it and check
// that every route but health refuses a request without the token.

export interface RouteContext {
  hub: Hub;
  request: Request;
  params: Record<string, string>;
  url: URL;
  startedAt: number;
}

export interface Route {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  path: string;
  /** No token needed (only health). */
  public?: boolean;
  handle(context: RouteContext): Promise<Response> | Response;
}

const afterParam = (context: RouteContext): number => {
  const raw = context.request.headers.get("last-event-id") ?? context.url.searchParams.get("after") ?? "0";
  const after = Number(raw);
  if (!Number.isInteger(after) || after < 0) throw httpError(400, "BadField", "after / Last-Event-ID must be a non-negative integer", { field: "after" });
  return after;
};

const toPublished = (event: { session: string; seq: number; at: string; kind: string; data: unknown }): PublishedEvent => ({
  session: event.session,
  seq: event.seq,
  at: event.at,
  kind: event.kind,
  data: event.data,
});

export const ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/health",
    public: true,
    handle: ({ startedAt }) => json({ ok: true, version: VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
  },
  { method: "GET", path: "/api/server", handle: ({ startedAt }) => json({ pid: process.pid, version: VERSION, startedAt: new Date(startedAt).toISOString() }) },
  { method: "GET", path: "/api/sessions", handle: async ({ hub }) => json(await hub.list()) },
  { method: "GET", path: "/api/pending", handle: ({ hub }) => json(hub.pending()) },
  { method: "GET", path: "/api/sessions/:name", handle: async ({ hub, params }) => json(await hub.get(params.name!)) },
  {
    method: "POST",
    path: "/api/sessions/:name/message",
    handle: async ({ hub, params, request }) => {
      const text = stringField(await readJson(request), "text", true);
      return json({ delivered: await hub.sendMessage(params.name!, text) });
    },
  },
  {
    method: "POST",
    path: "/api/sessions/:name/interrupt",
    handle: async ({ hub, params }) => {
      await hub.interrupt(params.name!);
      return json({ ok: true });
    },
  },
  {
    method: "POST",
    path: "/api/sessions/:name/reconnect",
    handle: async ({ hub, params }) => {
      await hub.reconnect(params.name!);
      return json({ ok: true });
    },
  },
  {
    method: "POST",
    path: "/api/sessions/:name/approve-tool",
    handle: async ({ hub, params, request }) => {
      const body = await readJson(request);
      const requestId = stringField(body, "requestId", true);
      const action = stringField(body, "action", true);
      if (action !== "allow" && action !== "deny") throw httpError(400, "BadField", "action must be allow or deny", { field: "action" });
      if (body.always !== undefined && typeof body.always !== "boolean") throw httpError(400, "BadField", "always must be true or false", { field: "always" });
      const decision = await hub.answer(params.name!, requestId, action, { message: stringField(body, "message"), always: body.always as boolean | undefined });
      return json({ ok: true, decision });
    },
  },
  {
    method: "DELETE",
    path: "/api/sessions/:name",
    handle: async ({ hub, params, request }) => {
      const body = await readJson(request);
      for (const field of ["deleteBranch", "force"]) {
        if (body[field] !== undefined && typeof body[field] !== "boolean") throw httpError(400, "BadField", `${field} must be true or false`, { field });
      }
      const removed = await hub.kill(params.name!, { deleteBranch: body.deleteBranch as boolean | undefined, force: body.force as boolean | undefined });
      return json({ removed });
    },
  },
  {
    method: "GET",
    path: "/api/sessions/:name/events",
    handle: async ({ hub, params, url, request }) => {
      await hub.get(params.name!);
      const limit = Math.max(1, Math.min(Number(url.searchParams.get("limit") ?? "1000") || 1000, 10_000));
      const tail = url.searchParams.get("tail");
      const host = hub.ctx.host.hostName;
      const events = tail ? hub.events.tail(host, params.name!, Math.min(Number(tail) || 100, 10_000)) : hub.events.after(host, params.name!, afterParam({ hub, params, url, request, startedAt: 0 }), limit);
      return json(events.map(toPublished));
    },
  },
  {
    method: "GET",
    path: "/api/sessions/:name/stream",
    handle: async (context) => {
      const { hub, params, request } = context;
      await hub.get(params.name!);
      const name = params.name!;
      const host = hub.ctx.host.hostName;
      return sseResponse(
        {
          subscribe: (listener) => hub.live.subscribe(listener),
          backlog: (after) => allAfter(hub, host, name, after),
          accepts: (event) => event.session === name,
          keyOf: () => name,
        },
        afterParam(context),
        request.signal,
      );
    },
  },
  {
    method: "GET",
    path: "/api/events",
    handle: ({ hub, request }) =>
      sseResponse(
        { subscribe: (listener) => hub.live.subscribe(listener), backlog: () => [], accepts: () => true, keyOf: (event) => event.session },
        0,
        request.signal,
      ),
  },
];

/** Every stored event after `after`, read in pages so a long log is replayed whole. */
function allAfter(hub: Hub, host: string, name: string, after: number): PublishedEvent[] {
  const events: PublishedEvent[] = [];
  for (;;) {
    const page = hub.events.after(host, name, after, 5000);
    events.push(...page.map(toPublished));
    if (page.length < 5000) return events;
    after = page.at(-1)!.seq;
  }
}

/** Matches `/api/sessions/:name` style paths; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(":")) {
      try {
        params[want[i]!.slice(1)] = decodeURIComponent(got[i]!);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

export function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | "method" | null {
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method" : null;
}

export const isCsmError = (error: unknown): error is CsmError => error instanceof CsmError;
