import { BODIES } from "../../hub-client/api.ts";
import { json } from "../http.ts";
import { clearedCookie, cookieOf, sessionCookie, webAuthOf } from "../web-login.ts";
import type { RouteSpec } from "./route.ts";

// Logging a browser in to the web dashboard (see web-login.ts): `csm web` gets a one-time
// code with the token; the page trades it for a cookie, which every route then accepts like
// the token (a state-changing one only from the hub's own Origin, see browser-guard.ts).

const notLoggedIn = (message: string) => json({ error: { name: "Unauthorized", message, data: {} } }, 401);

export const WEB_ROUTES: RouteSpec[] = [
  {
    method: "POST",
    path: "/api/web/codes",
    summary: "a one-time login code for the web dashboard (2 minutes, single use) and the page's URL with it",
    handle: ({ hub }) => {
      const web = webAuthOf(hub);
      const issued = web.login.issueCode();
      // In the fragment: a browser never sends it to a server, nor in a Referer.
      return json({ ...issued, url: `${web.guard.pageBase(hub.port)}/#login=${issued.code}` });
    },
  },
  {
    method: "POST",
    path: "/api/web/login",
    summary: "trades a one-time code for a browser session (an HttpOnly cookie, 30 days); from the hub's own page only",
    body: BODIES.webLogin,
    public: true,
    errors: [403, 429],
    handle: ({ hub, request, body }) => {
      const web = webAuthOf(hub);
      const foreign = web.guard.originRefusal(request);
      if (foreign) return foreign;
      const result = web.login.login(body.code);
      if (!result.ok && result.reason === "rate-limited") {
        return json({ error: { name: "TooManyAttempts", message: "too many wrong login codes: wait a minute, then use a fresh one from `csm web`", data: {} } }, 429);
      }
      if (!result.ok) return notLoggedIn("this login code is wrong, used or expired: run `csm web` for a new one");
      const response = json({ ok: true });
      response.headers.set("set-cookie", sessionCookie(result.cookie, web.guard.tls));
      return response;
    },
  },
  {
    method: "GET",
    path: "/api/web/whoami",
    summary: "whether this browser is logged in, and until when",
    handle: ({ hub, request }) => {
      const session = webAuthOf(hub).login.session(cookieOf(request));
      return session ? json({ ok: true, expiresAt: new Date(session.expiresAt).toISOString() }) : notLoggedIn("this browser is not logged in: run `csm web` for a login link");
    },
  },
  {
    method: "POST",
    path: "/api/web/logout",
    summary: "ends this browser's session",
    handle: ({ hub, request }) => {
      const web = webAuthOf(hub);
      web.login.logout(cookieOf(request));
      const response = json({ ok: true });
      response.headers.set("set-cookie", clearedCookie(web.guard.tls));
      return response;
    },
  },
  {
    method: "POST",
    path: "/api/web/revoke-all",
    summary: "ends every browser session at once (`csm web --revoke-all`)",
    handle: ({ hub }) => json({ ok: true, ended: webAuthOf(hub).login.revokeAll() }),
  },
];
