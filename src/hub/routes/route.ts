import type { Hub } from "../hub.ts";
import { httpError, readJson } from "../http.ts";
import type { LogEvent } from "../../core/live/hub-event.ts";
import type { PublishedEvent } from "../live-sessions.ts";
import { checkBody, checkQuery, NO_BODY, type ObjectSchema } from "./body-schema.ts";

// A route of the HTTP API. Routes are data: the server dispatches on them, the OpenAPI
// document is generated from them, and a test walks them to check that every route but
// health refuses a request without the token.

/** What the server hands a route. */
export interface RouteContext {
  hub: Hub;
  request: Request;
  params: Record<string, string>;
  url: URL;
  startedAt: number;
}

/** What a route's handler gets: the body already read, capped and checked against its schema. */
export interface HandlerContext extends RouteContext {
  body: Record<string, unknown>;
}

/** A route as declared: its handler sees a checked body. */
export interface RouteSpec extends Omit<Route, "handle"> {
  handle(context: HandlerContext): Promise<Response> | Response;
}

export interface Route {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  path: string;
  summary: string;
  /**
   * The JSON body it takes. Every request but a GET is checked against it (none declared:
   * no fields at all) before the handler runs, and the OpenAPI document shows it.
   */
  body?: ObjectSchema;
  /** Its query parameters: any other is refused (400), and the OpenAPI document lists them. */
  query?: ObjectSchema;
  /** Status codes it answers besides 200/401, for the OpenAPI document. */
  errors?: number[];
  /** Event stream (text/event-stream) rather than JSON; may be opened with a stream ticket. */
  stream?: boolean;
  /** No token needed (only health). */
  public?: boolean;
  handle(context: RouteContext): Promise<Response> | Response;
}

export const afterParam = (context: RouteContext): number => {
  const raw = context.request.headers.get("last-event-id") ?? context.url.searchParams.get("after") ?? "0";
  const after = Number(raw);
  if (!Number.isInteger(after) || after < 0) throw httpError("BadField", "after / Last-Event-ID must be a non-negative integer", { field: "after" });
  return after;
};

export const toPublished = (event: { session: string; seq: number; at: string; kind: string; data: unknown }): PublishedEvent => ({
  session: event.session,
  seq: event.seq,
  at: event.at,
  kind: event.kind as LogEvent["kind"],
  data: event.data,
});

/** A declared route as the server runs it: the body is read and checked by its declared schema, in this one place. */
export function served(spec: RouteSpec): Route {
  return {
    ...spec,
    handle: async (context) => {
      checkQuery(context.url.searchParams, spec.query);
      const body = spec.method === "GET" ? {} : await readJson(context.request);
      checkBody(body, spec.body ?? NO_BODY);
      return spec.handle({ ...context, body });
    },
  };
}
