import type { SearchHit } from "../../core/conversations/conversation-record.ts";
import { searchPrinted } from "../../core/conversations/search-text.ts";
import { interleave, newestFirst } from "../../core/conversations/merge-answers.ts";
import { isAbsolute } from "node:path";
import { expandHome } from "../../config/paths.ts";
import { liveClaudeText, type ConversationInfo } from "../../core/conversations/conversation-record.ts";
import type { HostAnswer } from "../../core/conversations/conversations-everywhere.ts";
import { parseSince } from "../../core/conversations/parse-since.ts";
import { exactlyOne } from "../../core/conversations/local-conversations.ts";
import { resumeConversation } from "../../core/conversations/resume-conversation.ts";
import { BODIES, QUERIES, type ListedConversation, type RenameReply } from "../../hub-client/api.ts";
import { appendTitle, checkTitle } from "../../core/conversations/rename-conversation.ts";
import { controlRequest } from "../../link/protocol.ts";
import type { TransportChoice } from "../../link/transport.ts";
import { CsmError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import type { Hub } from "../hub.ts";
import { httpError, json } from "../http.ts";
import { askFrom, hostsFor } from "./host-questions.ts";
import { isConversationRef, MAX_REF_CHARS } from "../../core/conversations/conversation-ref.ts";
import type { RouteSpec } from "./route.ts";

// /api/conversations: every claude conversation on every host, as `csm history`, `csm
// search`, `csm info` and `csm resume` give them. This host answers from the index the
// hub's worker keeps fresh; an SSH host from its own csm (`--host local --json`), all at
// once. Without ?host every configured host is asked; one that does not answer is named
// in `hosts` with the reason while the others' answers come back.

export const DEFAULT_LIST_LIMIT = 100;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_LIMIT = 1000;

/** What names a conversation (id, id prefix, title, session name): data for a lookup, never a path. */
function checkRef(ref: string): string {
  if (!isConversationRef(ref)) throw httpError("BadField", `give a conversation id, id prefix, title or csm session name (at most ${MAX_REF_CHARS} characters)`, { field: "id" });
  return ref;
}

function limitOf(raw: string | null, fallback: number): number {
  return raw === null ? fallback : Math.min(Number(raw), MAX_LIMIT);
}

const hostsOf = <T>(answers: HostAnswer<T>[]) => answers.map(({ host, error }) => ({ host, error }));

async function listConversations(hub: Hub, url: URL): Promise<Response> {
  const params = url.searchParams;
  const hosts = hostsFor(hub, params.get("host") ?? undefined, "?host");
  const search = params.get("search")?.trim() ?? "";
  if (search !== "") {
    if (params.has("project") || params.has("since")) throw httpError("BadField", "?search looks through every conversation; ?project and ?since filter the list without it", { field: params.has("project") ? "?project" : "?since" });
    const limit = limitOf(params.get("limit"), DEFAULT_SEARCH_LIMIT);
    await hub.conversations.indexed();
    const answers = await askFrom(hub, hosts, () => hub.conversations.local().search(search, limit), ["search", "--limit", String(limit), "--", search]);
    const conversations: ListedConversation[] = interleave(answers.map((answer) => answer.items), limit);
    const printed = params.get("text") === "1" ? { printed: searchPrinted(conversations as SearchHit[], hostsOf(answers)) } : {};
    return json({ conversations, hosts: hostsOf(answers), ...printed });
  }
  const limit = limitOf(params.get("limit"), DEFAULT_LIST_LIMIT);
  const sinceText = params.get("since") ?? undefined;
  const since = sinceText === undefined ? undefined : parseSince(sinceText);
  if (since === null) throw httpError("BadField", `?since takes a duration like 7d, 12h, 30m or a date like 2026-11-01, not ${JSON.stringify(sinceText)}`, { field: "?since" });
  const projectText = params.get("project") ?? undefined;
  const project = projectText === undefined ? undefined : expandHome(projectText, hub.ctx.env);
  if (project !== undefined && !isAbsolute(project)) throw httpError("BadField", `?project takes an absolute directory (or ~/…), not ${JSON.stringify(projectText)}`, { field: "?project" });
  const remoteArgs = ["history", "--limit", String(limit), ...(projectText ? ["--project", projectText] : []), ...(sinceText ? ["--since", sinceText] : [])];
  await hub.conversations.indexed();
  const answers = await askFrom(hub, hosts, () => hub.conversations.local().history({ project, since, limit }), remoteArgs);
  const conversations: ListedConversation[] = newestFirst(answers.flatMap((answer) => answer.items)).slice(0, limit);
  return json({ conversations, hosts: hostsOf(answers) });
}

/** The one conversation `ref` names on the chosen hosts (404 none, 409 several). */
async function findConversation(hub: Hub, ref: string, host: string | undefined, field: string): Promise<ConversationInfo> {
  await hub.conversations.indexed();
  const answers = await askFrom(hub, hostsFor(hub, host, field), () => hub.conversations.local().infos(ref), ["info", "--matches", "--", ref]);
  const items = answers.flatMap((answer) => answer.items);
  const silent = answers.filter((answer) => answer.error !== null);
  if (items.length === 0 && silent.length > 0) {
    const why = silent.map((answer) => `${answer.host}: ${answer.error}`).join("; ");
    throw new CsmError("NoSuchConversation", `no conversation matches ${JSON.stringify(ref)} on the hosts that answered (${why})`, { data: { ref, hosts: hostsOf(answers) } });
  }
  return exactlyOne(ref, answers.length === 1 ? answers[0]!.host : "any host", items);
}

async function resume(hub: Hub, ref: string, body: Record<string, unknown>): Promise<Response> {
  const options = { name: body.name as string | undefined, force: body.force as boolean | undefined, worktree: body.worktree as boolean | undefined, repo: body.repo as string | undefined };
  if (options.name !== undefined) checkName("session", options.name);
  const info = await findConversation(hub, ref, body.host as string | undefined, "host");
  if (info.host !== "local") return resumeThere(hub, info, options);
  const { session } = await resumeConversation(hub.ctx, info, {
    ...options,
    transport: (hub.ctx.settings.config.claudeTransport ?? "auto") as TransportChoice,
    prepareHub: async () => hub.port,
    cwd: hub.ctx.env.HOME ?? "/",
  });
  return json(session, 201);
}

/**
 * A conversation on an SSH host is resumed by that host's hub (reached like its sessions,
 * through the port forward), so the session is linked there and a refusal keeps its name.
 */
async function resumeThere(hub: Hub, info: ConversationInfo, options: Record<string, unknown>): Promise<Response> {
  const { client, error } = hub.remotes.hubOf(info.host);
  if (!client) throw httpError("HostUnreachable", `${info.host} cannot be reached right now (${error ?? "no hub"}); see \`csm hosts\``, { host: info.host });
  const body = Object.fromEntries(Object.entries({ ...options, host: "local" }).filter(([, value]) => value !== undefined));
  const session = await client.request<{ host: string }>("POST", `/api/conversations/${encodeURIComponent(info.id)}/resume`, body);
  return json({ ...session, host: info.host }, 201);
}

/**
 * Names a conversation. A csm session's linked claude is asked to write the title itself
 * (rename_session); with no claude holding it, csm appends the same record; a claude outside
 * csm holding it is a 409 (it would not see the title, and two writers risk its file).
 */
async function rename(hub: Hub, ref: string, body: Record<string, unknown>): Promise<Response> {
  const title = checkTitle(String(body.title));
  const host = body.host as string | undefined;
  // A linked session of this hub: its claude is asked at once, even before the indexer has
  // seen its transcript (a session a few seconds old).
  const own = host === undefined || host === "local" || host === hub.ctx.host.hostName ? hub.ctx.sessions().all(hub.ctx.host.hostName).find((r) => r.claudeSessionId && (r.name === ref || r.claudeSessionId === ref)) : undefined;
  if (own && (await renamedByClaude(hub, own.name, title))) return json({ id: own.claudeSessionId!, host: "local", title, by: "claude" } satisfies RenameReply);
  const info = await findConversation(hub, ref, host, "host");
  if (info.host !== "local") {
    const { client, error } = hub.remotes.hubOf(info.host);
    if (!client) throw httpError("HostUnreachable", `${info.host} cannot be reached right now (${error ?? "no hub"}); see \`csm hosts\``, { host: info.host });
    const reply = await client.request<RenameReply>("POST", `/api/conversations/${encodeURIComponent(info.id)}/rename`, { title, host: "local" });
    return json({ ...reply, host: info.host });
  }
  const reply = (by: RenameReply["by"]): RenameReply => ({ id: info.id, host: info.host, title, by });
  if (info.state === "csm" && info.session && (await renamedByClaude(hub, info.session, title))) return json(reply("claude"));
  if (info.state === "live") {
    throw new CsmError("ConversationLive", `conversation ${info.id} is open in a claude outside csm (${liveClaudeText(info)}); rename it there with /rename`, { data: { id: info.id, pid: info.pid } });
  }
  appendTitle(info.path, info.id, title);
  return json(reply("csm"));
}

/**
 * Asks a csm session's claude to rename its conversation; false when that claude does not
 * run (csm then writes the title itself). One that runs without a link is refused: csm
 * writing the transcript beside it would be two writers on one file.
 */
async function renamedByClaude(hub: Hub, session: string, title: string): Promise<boolean> {
  const link = await hub.linkState(session);
  if (link === "stopped") return false;
  if (link === "unlinked") throw httpError("NotLinked", `${session}'s claude is running but not linked to the hub right now; rename it there with /rename, or try again shortly`, { session });
  await hub.links.send(session, controlRequest(crypto.randomUUID(), { subtype: "rename_session", title }));
  return true;
}

export const CONVERSATION_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/conversations",
    summary:
      "every claude conversation ({conversations, hosts}): without ?search newest first (like `csm history`; ?project=DIR, ?since=7d|12h|DATE), " +
      `with ?search ranked hits with a snippet (like \`csm search\`; ?text=1 adds them as it prints them); ?host=NAME asks that host only, none asks every configured host; ` +
      `?limit default ${DEFAULT_LIST_LIMIT} (search ${DEFAULT_SEARCH_LIMIT}), at most ${MAX_LIMIT}. hosts[].error says why a host gave no answer`,
    query: QUERIES.conversations,
    errors: [400],
    handle: ({ hub, url }) => listConversations(hub, url),
  },
  {
    method: "GET",
    path: "/api/conversations/:id",
    summary: "one conversation (ConversationInfo, like `csm info`) by id, id prefix, title or csm session name; on ?host, else on any host; none is a 404, several a 409",
    query: QUERIES.conversation,
    errors: [400, 404, 409],
    handle: async ({ hub, params, url }) => json(await findConversation(hub, checkRef(params.id!), url.searchParams.get("host") ?? undefined, "?host")),
  },
  {
    method: "POST",
    path: "/api/conversations/:id/resume",
    summary:
      "resume the conversation as a new csm session (201 with its view, like POST /api/sessions) running `claude --resume` in its directory, on the host it lives on; " +
      "409 when it runs in csm already (StillRunning), in a claude outside csm (ConversationLive; `force` resumes anyway) or its directory is gone (ConversationCwdGone; `worktree` makes a new one)",
    body: BODIES.resumeConversation,
    errors: [400, 404, 409, 503],
    handle: ({ hub, params, body }) => resume(hub, checkRef(params.id!), body),
  },
  {
    method: "POST",
    path: "/api/conversations/:id/rename",
    summary:
      "name the conversation ({title}, like `/rename`): a csm session's linked claude writes the title record itself, else csm appends it; " +
      "409 ConversationLive when a claude outside csm holds it. Answers {id, host, title, by: claude|csm}",
    body: BODIES.renameConversation,
    errors: [400, 404, 409, 503],
    handle: ({ hub, params, body }) => rename(hub, checkRef(params.id!), body),
  },
];
