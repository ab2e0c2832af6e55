import { CONFIG_ROUTES } from "./config-routes.ts";
import { served, type Route } from "./route.ts";
import { SERVER_ROUTES } from "./server-routes.ts";
import { SESSION_ROUTES } from "./session-routes.ts";

export type { Route, RouteContext } from "./route.ts";

/** Every route, as the server runs it: each request's body checked against its route's declared schema first. */
export const ROUTES: Route[] = [...SERVER_ROUTES, ...SESSION_ROUTES, ...CONFIG_ROUTES].map(served);

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
