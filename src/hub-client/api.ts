import type { TrashEntry } from "../adapters/conversation-trash.ts";
import type { ArchiveListItem, Postmortem } from "../core/sessions/archive-show.ts";
import type { ConversationInfo, ConversationRecord } from "../core/conversations/conversation-record.ts";
import type { HubEvent } from "../core/live/hub-event.ts";
import type { PendingRequest } from "../core/live/live-state.ts";
import type { LiveSessionDetail, LiveSessionView } from "../core/live/live-view.ts";
import type { DiffStat, FileDiff } from "../core/sessions/diff-types.ts";
import type { MergeResult } from "../core/sessions/merge.ts";
import type { PushResult } from "../core/sessions/push.ts";
import type { SessionView } from "../core/sessions/session-view.ts";
import type { ToolRule } from "../config/schema.ts";
import { SESSION_MODES } from "../config/session-mode.ts";
import type { HubClient } from "./client.ts";
import {
  booleanSchema,
  enumSchema,
  integerSchema,
  nonEmptyStringSchema,
  nonNegativeIntegerSchema,
  objectSchema,
  stringSchema,
  type Infer,
  type ObjectSchema,
} from "./schema.ts";

// The hub's API as a contract: each route's body and query declared once. The hub's routes
// take their schemas from here (and check every request against them), the OpenAPI
// document shows them, and `callHub` types the CLI's and the dashboard's calls with them.

export const BODIES = {
  /** Starts from a new branch off `base`, an existing `branch`, or pull request `pr` fetched from `remote`: one of base, branch, pr. */
  createSession: objectSchema(
    {
      name: nonEmptyStringSchema,
      repo: nonEmptyStringSchema,
      base: nonEmptyStringSchema,
      branch: nonEmptyStringSchema,
      pr: { type: "integer", minimum: 1 },
      remote: nonEmptyStringSchema,
      host: nonEmptyStringSchema,
      prompt: stringSchema,
      /** Absent: the hub's sessionMode setting. */
      mode: enumSchema(...SESSION_MODES),
    },
    ["name"],
  ),
  kill: objectSchema({ deleteBranch: booleanSchema, force: booleanSchema }),
  message: objectSchema({ text: nonEmptyStringSchema }, ["text"]),
  favourite: objectSchema({ favourite: booleanSchema }, ["favourite"]),
  mute: objectSchema({ muted: booleanSchema }, ["muted"]),
  merge: objectSchema({ mode: enumSchema("merge", "squash", "rebase"), into: nonEmptyStringSchema, message: nonEmptyStringSchema }),
  push: objectSchema({ remote: nonEmptyStringSchema }),
  approveTool: objectSchema({ requestId: nonEmptyStringSchema, action: enumSchema("allow", "deny"), message: stringSchema, always: booleanSchema }, ["requestId", "action"]),
  configPatch: { type: "object" } as ObjectSchema,
  addRule: objectSchema({ tool: nonEmptyStringSchema, pattern: stringSchema, action: enumSchema("allow", "deny", "ask"), position: integerSchema }, ["tool", "action"]),
  renameConversation: objectSchema({ title: nonEmptyStringSchema, host: nonEmptyStringSchema }, ["title"]),
  resumeConversation: objectSchema({ name: nonEmptyStringSchema, force: booleanSchema, worktree: booleanSchema, repo: nonEmptyStringSchema, host: nonEmptyStringSchema }),
  /** Optional in the schema: a login without a code is a wrong code (401), after the Origin check. */
  webLogin: objectSchema({ code: stringSchema }),
};

/** Query strings are text; integers are checked as such. `ticket` opens a stream without the token. */
export const QUERIES = {
  events: objectSchema({ after: nonNegativeIntegerSchema, limit: { type: "integer", minimum: 1 }, tail: { type: "integer", minimum: 1 } }),
  stream: objectSchema({ after: nonNegativeIntegerSchema, ticket: stringSchema }),
  /** ?stat=1 (or neither): the stat; ?file=PATH: that file's diff. */
  diff: objectSchema({ stat: stringSchema, file: stringSchema }),
  /** No ?search: newest first; with it, ranked hits with snippets (?text=1: also as `csm search` prints them). No ?host: every configured host. */
  conversations: objectSchema({ search: stringSchema, host: stringSchema, project: stringSchema, since: stringSchema, limit: { type: "integer", minimum: 1 }, text: stringSchema }),
  conversation: objectSchema({ host: stringSchema }),
  trash: objectSchema({ host: stringSchema }),
  archive: objectSchema({ host: stringSchema }),
  /** How much of the pane log's end, in KiB (at most 1024). */
  archiveLog: objectSchema({ tailKb: { type: "integer", minimum: 1 } }),
};

/** An ended session's agent pane, its last output as text. */
export interface ArchiveLogReply {
  id: number;
  name: string;
  host: string;
  paneLog: string | null;
  text: string;
}

/** A conversation as `GET /api/conversations` lists it; a search adds where it matched. */
export type ListedConversation = ConversationRecord & {
  /** Text around the hit; the hit itself between \x02 and \x03. */
  snippet?: string;
  rank?: number;
};

/** How a rename was done: claude wrote its own title record, or csm appended it. */
export interface RenameReply {
  id: string;
  host: string;
  title: string;
  by: "claude" | "csm";
}

export interface ConversationsReply {
  conversations: ListedConversation[];
  /** Every host asked; `error` says why one gave no answer (null: it answered). */
  hosts: { host: string; error: string | null }[];
  /** With ?search and ?text=1: what `csm search` prints, on stdout and stderr (its fast path in bin/csm prints these). */
  printed?: { out: string; err: string };
}

type Ok = { ok: true };

/** A one-time login code for the web dashboard, and the page's URL with it in the fragment. */
export interface WebCodeReply {
  code: string;
  expiresAt: string;
  url: string;
}

/** Every call a client makes, as `METHOD /path`: its body, query and reply. */
export interface ApiCalls {
  "GET /api/sessions": { reply: LiveSessionView[] };
  "POST /api/sessions": { body: Infer<typeof BODIES.createSession>; reply: SessionView };
  "GET /api/pending": { reply: (PendingRequest & { session: string; host?: string })[] };
  "GET /api/sessions/:host/:name": { reply: LiveSessionDetail };
  "DELETE /api/sessions/:host/:name": { body: Infer<typeof BODIES.kill>; reply: { removed: string[] } };
  "POST /api/sessions/:host/:name/message": { body: Infer<typeof BODIES.message>; reply: { delivered: "link" | "paste" } };
  "POST /api/sessions/:host/:name/favourite": { body: Infer<typeof BODIES.favourite>; reply: Ok & { favourite: boolean } };
  "POST /api/sessions/:host/:name/mute": { body: Infer<typeof BODIES.mute>; reply: Ok & { muted: boolean } };
  "POST /api/sessions/:host/:name/interrupt": { reply: Ok };
  "POST /api/sessions/:host/:name/reconnect": { reply: Ok };
  "POST /api/sessions/:host/:name/merge": { body: Infer<typeof BODIES.merge>; reply: MergeResult };
  "POST /api/sessions/:host/:name/push": { body: Infer<typeof BODIES.push>; reply: PushResult };
  "POST /api/sessions/:host/:name/approve-tool": { body: Infer<typeof BODIES.approveTool>; reply: Ok & { decision: { addedRules?: ToolRule[] } } };
  "GET /api/sessions/:host/:name/events": { query: Infer<typeof QUERIES.events>; reply: HubEvent[] };
  "GET /api/sessions/:host/:name/diff": { query: Infer<typeof QUERIES.diff>; reply: DiffStat | FileDiff };
  "GET /api/config/rules": { reply: (ToolRule & { index: number })[] };
  "GET /api/conversations": { query: Infer<typeof QUERIES.conversations>; reply: ConversationsReply };
  "GET /api/conversations/:id": { query: Infer<typeof QUERIES.conversation>; reply: ConversationInfo };
  "POST /api/conversations/:id/resume": { body: Infer<typeof BODIES.resumeConversation>; reply: SessionView };
  "POST /api/conversations/:id/rename": { body: Infer<typeof BODIES.renameConversation>; reply: RenameReply };
  "GET /api/trash": { query: Infer<typeof QUERIES.trash>; reply: (TrashEntry & { host: string })[] };
  "POST /api/trash/:id/restore": { reply: { id: string; path: string } };
  "GET /api/archive": { query: Infer<typeof QUERIES.archive>; reply: ArchiveListItem[] };
  "GET /api/archive/:id": { reply: Postmortem };
  "GET /api/archive/:id/log": { query: Infer<typeof QUERIES.archiveLog>; reply: ArchiveLogReply };
  "POST /api/web/codes": { reply: WebCodeReply };
  "POST /api/web/login": { body: Infer<typeof BODIES.webLogin>; reply: Ok };
  "GET /api/web/whoami": { reply: Ok & { expiresAt: string } };
  "POST /api/web/logout": { reply: Ok };
  "POST /api/web/revoke-all": { reply: Ok & { ended: number } };
}

export type ApiCall = keyof ApiCalls;

/** The same calls at run time, so a test can hold them against the hub's route table. */
export const API_CALLS = [
  "GET /api/sessions",
  "POST /api/sessions",
  "GET /api/pending",
  "GET /api/sessions/:host/:name",
  "DELETE /api/sessions/:host/:name",
  "POST /api/sessions/:host/:name/message",
  "POST /api/sessions/:host/:name/favourite",
  "POST /api/sessions/:host/:name/mute",
  "POST /api/sessions/:host/:name/interrupt",
  "POST /api/sessions/:host/:name/reconnect",
  "POST /api/sessions/:host/:name/merge",
  "POST /api/sessions/:host/:name/push",
  "POST /api/sessions/:host/:name/approve-tool",
  "GET /api/sessions/:host/:name/events",
  "GET /api/sessions/:host/:name/diff",
  "GET /api/config/rules",
  "GET /api/conversations",
  "GET /api/conversations/:id",
  "POST /api/conversations/:id/resume",
  "POST /api/conversations/:id/rename",
  "GET /api/trash",
  "POST /api/trash/:id/restore",
  "GET /api/archive",
  "GET /api/archive/:id",
  "GET /api/archive/:id/log",
  "POST /api/web/codes",
  "POST /api/web/login",
  "GET /api/web/whoami",
  "POST /api/web/logout",
  "POST /api/web/revoke-all",
] as const satisfies readonly ApiCall[];
// …and every ApiCall is in the list.
type Missing = Exclude<ApiCall, (typeof API_CALLS)[number]>;
const _everyCallListed: [Missing] extends [never] ? true : Missing = true;
type Field<K extends ApiCall, F extends string> = ApiCalls[K] extends Record<F, infer T> ? T : undefined;

/** A session's path parameters: it is (host, name) everywhere; `local` is the hub's own machine. */
export interface SessionParams {
  host: string;
  name: string;
}

type Args<K extends ApiCall> = (K extends `${string}:name${string}` ? { session: SessionParams } : { session?: never }) &
  (K extends `${string}:id${string}` ? { id: string } : { id?: never }) &
  (Field<K, "body"> extends undefined ? { body?: never } : { body: Field<K, "body"> }) &
  (Field<K, "query"> extends undefined ? { query?: never } : { query?: Field<K, "query"> });

/** Calls the hub with a route's declared body and query; the reply has the route's type. */
export function callHub<K extends ApiCall>(hub: HubClient, call: K, args: Args<K> = {} as Args<K>): Promise<ApiCalls[K]["reply"]> {
  const space = call.indexOf(" ");
  const method = call.slice(0, space);
  const session = args.session as SessionParams | undefined;
  let path = call.slice(space + 1);
  if (session) path = path.replace(":host", encodeURIComponent(session.host)).replace(":name", encodeURIComponent(session.name));
  if (args.id !== undefined) path = path.replace(":id", encodeURIComponent(args.id));
  const query = args.query as Record<string, string | number | undefined> | undefined;
  const search = new URLSearchParams(Object.entries(query ?? {}).flatMap(([key, value]): [string, string][] => (value === undefined ? [] : [[key, String(value)]])));
  return hub.request(method, search.size > 0 ? `${path}?${search}` : path, args.body as unknown);
}

// The conversation calls by name, for the dashboard's history view.

/** Conversations newest first, or with `search` ranked hits; every host unless `host` names one. */
export const conversations = (hub: HubClient, query: ApiCalls["GET /api/conversations"]["query"] = {}) => callHub(hub, "GET /api/conversations", { query });

/** One conversation by id, id prefix, title or csm session name. */
export const conversation = (hub: HubClient, id: string, host?: string) => callHub(hub, "GET /api/conversations/:id", { id, query: host === undefined ? {} : { host } });

/** The conversation as a new csm session (201 with its view), on the host it lives on. */
export const resumeConversation = (hub: HubClient, id: string, body: ApiCalls["POST /api/conversations/:id/resume"]["body"] = {}) =>
  callHub(hub, "POST /api/conversations/:id/resume", { id, body });

/** Names a conversation (a csm session's own: claude writes the title itself). */
export const renameConversation = (hub: HubClient, id: string, body: ApiCalls["POST /api/conversations/:id/rename"]["body"]) =>
  callHub(hub, "POST /api/conversations/:id/rename", { id, body });

// The archive calls by name, for the dashboard's archive view.

/** Every ended session, newest end first: this host's, or `host`'s. */
export const archive = (hub: HubClient, host?: string) => callHub(hub, "GET /api/archive", { query: host === undefined ? {} : { host } });

/** One ended session's postmortem, by archive id or session name. */
export const archivePostmortem = (hub: HubClient, id: string) => callHub(hub, "GET /api/archive/:id", { id });

/** The last `tailKb` KiB of an ended session's agent pane, as text. */
export const archiveLog = (hub: HubClient, id: string, tailKb?: number) => callHub(hub, "GET /api/archive/:id/log", { id, query: tailKb === undefined ? {} : { tailKb } });
