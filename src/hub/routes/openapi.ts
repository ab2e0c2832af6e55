import { VERSION } from "../../shared/version.ts";
import { ROUTES } from "./index.ts";

// The API description is generated from the route table, so it cannot drift from it.

const STATUS_TEXT: Record<number, string> = { 400: "bad request (the field is named)", 401: "missing or wrong token", 404: "no such session", 409: "conflict (see error.name)", 413: "body too large" };

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters = [
      ...[...route.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(route.query?.properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
    ];
    const responses: Record<string, unknown> = {
      [route.method === "POST" && /\/(sessions|rules|stream-tickets|resume)$/.test(route.path) ? "201" : "200"]: {
        description: "ok",
        content: { [route.stream ? "text/event-stream" : "application/json"]: {} },
      },
    };
    // Every route that reads a body can refuse it: bad JSON or fields (400), too large (413).
    const statuses = new Set([...(route.public ? [] : [401]), ...(route.method === "GET" ? [] : [400, 413]), ...(route.errors ?? [])]);
    for (const status of [...statuses].sort()) responses[String(status)] = { description: STATUS_TEXT[status] ?? "error" };
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = {
      summary: route.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: (route.body.required ?? []).length > 0, content: { "application/json": { schema: route.body } } } } : {}),
      ...(route.public ? { security: [] } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "csm hub", version: VERSION, description: "Claude Code sessions: live state, messages, tool approvals. Every route but /api/health needs `Authorization: Bearer <token>` (`csm token`)." },
    servers: [{ url: "http://127.0.0.1:7437" }],
    components: { securitySchemes: { token: { type: "http", scheme: "bearer" } } },
    security: [{ token: [] }],
    paths,
  };
}
