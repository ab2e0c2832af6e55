import { VERSION } from "../../shared/version.ts";
import { json } from "../http.ts";
import { openApiDocument } from "./openapi.ts";
import type { RouteSpec } from "./route.ts";

// The hub itself: health (the one public route, saying no more than it is alive), its
// identity, the API description, and stream tickets.

export const SERVER_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/health",
    summary: "liveness: version and uptime only; the one route without the token",
    public: true,
    handle: ({ startedAt }) => json({ ok: true, version: VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
  },
  { method: "GET", path: "/api/server", summary: "the hub's pid, version and start time", handle: ({ startedAt }) => json({ pid: process.pid, version: VERSION, startedAt: new Date(startedAt).toISOString() }) },
  {
    method: "GET",
    path: "/api/hosts",
    summary: "the hosts this hub serves, and whether each remote hub is reachable now",
    handle: ({ hub }) => json([{ name: hub.ctx.host.hostName, kind: "local", reachable: true, error: null }, ...hub.remotes.states().map((r) => ({ name: r.host, kind: "ssh", ...r }))]),
  },
  { method: "GET", path: "/api/openapi.json", summary: "this API, described (OpenAPI 3.1)", handle: () => json(openApiDocument()) },
  {
    method: "POST",
    path: "/api/stream-tickets",
    summary: "a single-use ticket (60 s) that opens one event stream with ?ticket=, for browsers",
    handle: ({ hub }) => json(hub.tickets.issue(), 201),
  },
];
