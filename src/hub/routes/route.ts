import type { Hub } from "../hub.ts";
import { httpError } from "../http.ts";
import type { LogEvent } from "../../core/live/hub-event.ts";
import type { PublishedEvent } from "../live-sessions.ts";

// A route of the HTTP API. Routes are data: the server dispatches on them, the OpenAPI
// document is generated from them, and a test walks them to check that every route but
// health refuses a request without the token.

export interface RouteContext {
  hub: Hub;
  request: Request;
  params: Record<string, string>;
  url: URL;
  startedAt: number;
}

export interface Route {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  path: string;
  summary: string;
  /** The JSON body it takes, as an OpenAPI schema (documentation; handlers validate themselves). */
  body?: Record<string, unknown>;
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
  if (!Number.isInteger(after) || after < 0) throw httpError(400, "BadField", "after / Last-Event-ID must be a non-negative integer", { field: "after" });
  return after;
};

export const toPublished = (event: { session: string; seq: number; at: string; kind: string; data: unknown }): PublishedEvent => ({
  session: event.session,
  seq: event.seq,
  at: event.at,
  kind: event.kind as LogEvent["kind"],
  data: event.data,
});

export const objectSchema = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, required, additionalProperties: false });
export const stringSchema = { type: "string" };
export const booleanSchema = { type: "boolean" };
