import { mergeSession, type MergeMode } from "../../core/sessions/merge.ts";
import { pushSession } from "../../core/sessions/push.ts";
import { BODIES } from "../../hub-client/api.ts";
import { json } from "../http.ts";
import type { RouteSpec } from "./route.ts";

// Landing a session's work, as `csm merge` and `csm push` do it: the same core code, so a
// refusal (dirty checkout, conflict, rejected push) is the same error with the same words.

export const MERGE_ROUTES: RouteSpec[] = [
  {
    method: "POST",
    path: "/api/sessions/:name/merge",
    summary:
      "land the session's branch on its base branch (or `into`) in the repo's checkout of it: mode merge (fast-forward or merge commit), squash or rebase; " +
      "a dirty checkout, another branch checked out, uncommitted work in the session or a conflict is a 409 and changes nothing",
    body: BODIES.merge,
    errors: [400, 404, 409],
    handle: async ({ hub, params, body }) =>
      json(await mergeSession(hub.ctx, { name: params.name!, mode: body.mode as MergeMode | undefined, into: body.into as string | undefined, message: body.message as string | undefined })),
  },
  {
    method: "POST",
    path: "/api/sessions/:name/push",
    summary: "push the session's branch to `remote` (default origin) with upstream set; a refused push is a 409 that says why",
    body: BODIES.push,
    errors: [400, 404, 409],
    handle: async ({ hub, params, body }) => json(await pushSession(hub.ctx, { name: params.name!, remote: body.remote as string | undefined })),
  },
];
