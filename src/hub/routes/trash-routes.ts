import type { TrashEntry } from "../../adapters/conversation-trash.ts";
import { findTrashEntry, listTrash, restoreEntry, trashDirOf } from "../../core/conversations/trash-queries.ts";
import { QUERIES } from "../../hub-client/api.ts";
import { json } from "../http.ts";
import { listOnHost } from "./host-questions.ts";
import type { RouteSpec } from "./route.ts";

// /api/trash: what `csm gc` and `csm prune` moved away (as `csm trash` lists it), and putting
// one back (as `csm restore`). This host's trash unless ?host names another; each host keeps
// its own trash, so another host's is asked through its own csm.

export const TRASH_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/trash",
    summary: "what gc and prune moved to the trash, newest first (TrashEntry: id, reason, trashedAt, sizeBytes, sha256, where it came from); ?host=NAME for another host's",
    query: QUERIES.trash,
    errors: [400, 503],
    handle: async ({ hub, url }) => {
      const local = () => listTrash(trashDirOf(hub.ctx.settings.paths.dataDir)).map((entry) => ({ ...entry, host: "local" }));
      return json(await listOnHost<TrashEntry & { host: string }>(hub, url.searchParams.get("host"), local, ["trash"]));
    },
  },
  {
    method: "POST",
    path: "/api/trash/:id/restore",
    summary: "puts a trashed conversation back where it was, byte for byte (by entry name, conversation id or prefix); 409 RestoreRefused when a file exists there again",
    errors: [404, 409],
    handle: ({ hub, params }) => {
      const trashDir = trashDirOf(hub.ctx.settings.paths.dataDir);
      const entry = findTrashEntry(trashDir, params.id!);
      return json({ id: entry.id, path: restoreEntry(trashDir, entry) });
    },
  },
];
