import { findArchived, listArchive, paneLogText, postmortem, type ArchiveListItem } from "../../core/sessions/archive-show.ts";
import { notFoundError } from "../../shared/errors.ts";
import { QUERIES } from "../../hub-client/api.ts";
import { httpError, json } from "../http.ts";
import { listOnHost } from "./host-questions.ts";
import type { RouteSpec } from "./route.ts";

// /api/archive: every csm session that ended on this host (as `csm archive --json`), one
// entry's postmortem (as `archive show`) and its pane log's tail (as `archive log`). Another
// host keeps its own archive, so ?host on the list asks that host's csm, like /api/trash.

/** What `archive show` prints of the pane: the postmortem's tail is short, the log route's is not. */
const SHOW_PANE_BYTES = 4096;
const DEFAULT_TAIL_KB = 64;
const MAX_TAIL_KB = 1024;

/** An entry's id or a session name (its newest life): data for a lookup, never a path. */
function checkRef(ref: string): string {
  if (ref.trim() === "" || ref.length > 80) throw httpError("BadField", "give an archive id or a session name (at most 80 characters)", { field: "id" });
  return ref;
}

export const ARCHIVE_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/archive",
    summary:
      "every csm session that ended on this host, newest end first (like `csm archive --json`: end reason, turns, cost, last tool, last message, " +
      "session listed|removed|gone); ?host=NAME for another host's, asked through its own csm",
    query: QUERIES.archive,
    errors: [400, 503],
    handle: async ({ hub, url }) => {
      return json(await listOnHost<ArchiveListItem>(hub, url.searchParams.get("host"), () => listArchive(hub.ctx), ["archive"]));
    },
  },
  {
    method: "GET",
    path: "/api/archive/:id",
    summary: "the postmortem of an ended session by archive id or session name (like `csm archive show --json`): {entry, transcript: its tail, last tool use and error, paneTail}",
    errors: [400, 404],
    handle: ({ hub, params }) => json(postmortem(hub.ctx, findArchived(hub.ctx, checkRef(params.id!)), SHOW_PANE_BYTES)),
  },
  {
    method: "GET",
    path: "/api/archive/:id/log",
    summary: `the last output of an ended session's agent pane as text (like \`csm archive log\`): {id, name, host, paneLog, text}; ?tailKb from 1 to ${MAX_TAIL_KB}, default ${DEFAULT_TAIL_KB}`,
    query: QUERIES.archiveLog,
    errors: [400, 404],
    handle: ({ hub, params, url }) => {
      const raw = url.searchParams.get("tailKb");
      const tailKb = raw === null ? DEFAULT_TAIL_KB : Number(raw);
      if (tailKb > MAX_TAIL_KB) throw httpError("BadField", `?tailKb takes a whole number from 1 to ${MAX_TAIL_KB}`, { field: "?tailKb" });
      const entry = findArchived(hub.ctx, checkRef(params.id!));
      const text = paneLogText(entry, tailKb * 1024);
      if (text === null) throw notFoundError("pane log of ended session", `${entry.name} (archive ${entry.id})`, entry.paneLog ? `${entry.paneLog} is gone` : "it ended before csm kept pane logs");
      return json({ id: entry.id, name: entry.name, host: entry.host, paneLog: entry.paneLog, text });
    },
  },
];
