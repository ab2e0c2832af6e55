import type { SessionMode } from "../../config/session-mode.ts";
import { checkStartFrom } from "../../core/sessions/worktree-start.ts";
import { checkName } from "../../shared/names.ts";
import { httpError, json } from "../http.ts";
import type { PublishedEvent } from "../live-sessions.ts";
import { sseResponse } from "../sse.ts";
import { BODIES, QUERIES } from "../../hub-client/api.ts";
import type { Hub } from "../hub.ts";
import { createOnHost } from "../remote-create.ts";
import { hostsFor } from "./host-questions.ts";
import { afterParam, toPublished, type HandlerContext, type RouteSpec } from "./route.ts";

// /api/sessions: the same operations as the CLI, on every host's sessions. Bodies are
// checked against each route's `body` before a handler runs (see route.ts), so handlers
// read fields as their schema says they are.

const killBody = BODIES.kill;

async function kill({ hub, params, body }: HandlerContext): Promise<Response> {
  const removed = await hub.kill(params.name!, { deleteBranch: body.deleteBranch as boolean | undefined, force: body.force as boolean | undefined });
  return json({ removed });
}

/** Every stored event after `after`, read in pages so a long log is replayed whole. */
function allAfter(hub: Hub, name: string | null, after: number): PublishedEvent[] {
  const events: PublishedEvent[] = [];
  for (;;) {
    const page = name === null ? hub.events.afterAll(hub.ctx.host.hostName, after, 5000) : hub.events.after(hub.ctx.host.hostName, name, after, 5000);
    events.push(...page.map(toPublished));
    if (page.length < 5000) return events;
    after = page.at(-1)!.seq;
  }
}

export const SESSION_ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/sessions", summary: "all sessions with live state (the fields of `csm list --json`)", handle: async ({ hub }) => json(await hub.list()) },
  {
    method: "POST",
    path: "/api/sessions",
    summary: "create a session on this host or an SSH host: worktree (on a new branch off base, an existing branch, or a fetched pr), tmux session, claude (mode native or headless; absent: the hub's sessionMode)",
    body: BODIES.createSession,
    errors: [400, 409],
    handle: async ({ hub, body }) => {
      const name = checkName("session", body.name as string);
      const [host] = hostsFor(hub, body.host as string | undefined ?? "local", "host");
      const from = { base: body.base as string | undefined, branch: body.branch as string | undefined, pr: body.pr as number | undefined, remote: body.remote as string | undefined };
      // As the CLI refuses its flags, naming the body's fields instead.
      checkStartFrom(from, false, (field) => field);
      const request = { name, repo: body.repo as string | undefined, ...from, prompt: body.prompt as string | undefined, mode: body.mode as SessionMode | undefined };
      const session = host === "local" ? await hub.create(request) : await createOnHost(hub.ctx, host!, request);
      return json(session, 201);
    },
  },
  { method: "GET", path: "/api/pending", summary: "tool requests waiting for a person on every host, oldest first", handle: async ({ hub }) => json(await hub.pending()) },
  { method: "GET", path: "/api/sessions/:name", summary: "one session, with its pending requests", errors: [400, 404], handle: async ({ hub, params }) => json(await hub.get(params.name!)) },
  { method: "DELETE", path: "/api/sessions/:name", summary: "kill: tmux, worktree, and with deleteBranch the branch; unsaved work is a 409 with the list", body: killBody, errors: [400, 404, 409], handle: kill },
  { method: "POST", path: "/api/sessions/:name/kill", summary: "the same as DELETE /api/sessions/:name", body: killBody, errors: [400, 404, 409], handle: kill },
  {
    method: "POST",
    path: "/api/sessions/:name/message",
    summary: "send a user message (typed into the agent pane when not linked)",
    body: BODIES.message,
    errors: [400, 404, 409],
    handle: async ({ hub, params, body }) => json({ delivered: await hub.sendMessage(params.name!, body.text as string) }),
  },
  {
    method: "POST",
    path: "/api/sessions/:name/favourite",
    summary: "star or unstar a session ({favourite: true|false})",
    body: BODIES.favourite,
    errors: [400, 404],
    handle: async ({ hub, params, body }) => {
      const favourite = body.favourite as boolean;
      await hub.setFavourite(params.name!, favourite);
      return json({ ok: true, favourite });
    },
  },
  {
    method: "POST",
    path: "/api/sessions/:name/mute",
    summary: "no notifications from this session, or again ({muted: true|false})",
    body: BODIES.mute,
    errors: [400, 404],
    handle: async ({ hub, params, body }) => {
      const muted = body.muted as boolean;
      await hub.setMuted(params.name!, muted);
      return json({ ok: true, muted });
    },
  },
  {
    method: "POST",
    path: "/api/sessions/:name/interrupt",
    summary: "stop claude's current turn",
    errors: [404, 409],
    handle: async ({ hub, params }) => (await hub.interrupt(params.name!), json({ ok: true })),
  },
  {
    method: "POST",
    path: "/api/sessions/:name/reconnect",
    summary: "restart a dead claude with --resume in the same worktree",
    errors: [404, 409],
    handle: async ({ hub, params }) => (await hub.reconnect(params.name!), json({ ok: true })),
  },
  {
    method: "POST",
    path: "/api/sessions/:name/approve-tool",
    summary: "answer a pending tool request by its id; an unknown or answered id is a 409",
    body: BODIES.approveTool,
    errors: [400, 404, 409],
    handle: async ({ hub, params, body }) => {
      const action = body.action as "allow" | "deny";
      const decision = await hub.answer(params.name!, body.requestId as string, action, { message: body.message as string | undefined, always: body.always as boolean | undefined });
      return json({ ok: true, decision });
    },
  },
  {
    method: "GET",
    path: "/api/sessions/:name/events",
    summary: "the stored event log: ?after=SEQ&limit=N, or ?tail=N",
    query: QUERIES.events,
    errors: [400, 404],
    handle: async (context) => {
      const { hub, params, url } = context;
      await hub.get(params.name!);
      const limit = Math.max(1, Math.min(Number(url.searchParams.get("limit") ?? "1000") || 1000, 10_000));
      const tail = url.searchParams.get("tail");
      const host = hub.ctx.host.hostName;
      const events = tail ? hub.events.tail(host, params.name!, Math.max(1, Math.min(Number(tail) || 100, 10_000))) : hub.events.after(host, params.name!, afterParam(context), limit);
      return json(events.map(toPublished));
    },
  },
  {
    method: "GET",
    path: "/api/sessions/:name/stream",
    summary: "SSE of one session: id = seq; Last-Event-ID or ?after= resumes exactly",
    query: QUERIES.stream,
    stream: true,
    errors: [400, 404],
    handle: async (context) => {
      const { hub, params, request } = context;
      await hub.get(params.name!);
      const name = params.name!;
      return sseResponse(
        { subscribe: (listener) => hub.live.subscribe(listener), backlog: (after) => allAfter(hub, name, after), accepts: (event) => event.session === name },
        afterParam(context),
        request.signal,
      );
    },
  },
  {
    method: "GET",
    path: "/api/events",
    summary: "SSE of every session (what the dashboard uses); Last-Event-ID or ?after= resumes exactly",
    query: QUERIES.stream,
    stream: true,
    handle: (context) =>
      sseResponse(
        { subscribe: (listener) => context.hub.live.subscribe(listener), backlog: (after) => (after === 0 ? [] : allAfter(context.hub, null, after)), accepts: () => true },
        afterParam(context),
        context.request.signal,
      ),
  },
];
