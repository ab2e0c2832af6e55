import { ARCHIVE_ROUTES } from "./archive-routes.ts";
import { CONFIG_ROUTES } from "./config-routes.ts";
import { CONVERSATION_ROUTES } from "./conversation-routes.ts";
import { DIFF_ROUTES } from "./diff-routes.ts";
import { MERGE_ROUTES } from "./merge-routes.ts";
import { served, type Route, type RouteSpec } from "./route.ts";
import { SERVER_ROUTES } from "./server-routes.ts";
import { SESSION_ROUTES } from "./session-routes.ts";
import { TRASH_ROUTES } from "./trash-routes.ts";
import { WEB_ROUTES } from "./web-routes.ts";

export type { Route, RouteContext } from "./route.ts";

const ONE_SESSION = "/api/sessions/:name";

/**
 * A session is (host, name): every `/api/sessions/:name…` route also answers as
 * `/api/sessions/:host/:name…`. The short form stands for the one session of that name on
 * any host (the server answers 409 with the candidates when there are several).
 */
function withHostForm(route: RouteSpec): RouteSpec[] {
  if (!route.path.startsWith(ONE_SESSION)) return [route];
  const qualified = { ...route, path: `/api/sessions/:host/:name${route.path.slice(ONE_SESSION.length)}`, summary: `${route.summary} (the session on :host)` };
  return [qualified, route];
}

/** Every route, as the server runs it: each request's body checked against its route's declared schema first. */
export const ROUTES: Route[] = [...SERVER_ROUTES, ...SESSION_ROUTES, ...DIFF_ROUTES, ...MERGE_ROUTES, ...CONFIG_ROUTES, ...CONVERSATION_ROUTES, ...TRASH_ROUTES, ...ARCHIVE_ROUTES, ...WEB_ROUTES].flatMap(withHostForm).map(served);

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

/**
 * The route for a request. `isHost` says which words name a host: `/api/sessions/devbox/api`
 * is api on devbox when devbox is a host, and otherwise the short form of a session route
 * (a session named like a host needs the long form for its sub-routes).
 */
export function findRoute(method: string, path: string, isHost: (word: string) => boolean = () => false): { route: Route; params: Record<string, string> } | "method" | null {
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (!params || (params.host !== undefined && !isHost(params.host))) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method" : null;
}
