import { diffStat, fileDiff } from "../../core/sessions/diff.ts";
import { QUERIES } from "../../hub-client/api.ts";
import { json } from "../http.ts";
import type { RouteSpec } from "./route.ts";

// /api/sessions/:name/diff: what the session changed against its base, as `csm diff` shows
// it. The stat is cheap and comes first; one file's hunks only when that file is asked for
// (?file=PATH, a path the stat lists: anything else is a 404, never a read).

export const DIFF_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/sessions/:name/diff",
    summary: "what the session changed against the merge base with its base: ?stat=1 (or nothing) the stat (DiffStat), ?file=PATH that file's unified diff (FileDiff)",
    query: QUERIES.diff,
    errors: [400, 404, 409],
    handle: async ({ hub, params, url }) => {
      const file = url.searchParams.get("file");
      return json(file === null ? await diffStat(hub.ctx, params.name!) : await fileDiff(hub.ctx, params.name!, file));
    },
  },
];
