import { expect, test } from "bun:test";
import { API_CALLS, BODIES, QUERIES } from "../../src/hub-client/api.ts";
import { ROUTES } from "../../src/hub/routes/index.ts";
import { openApiDocument } from "../../src/hub/routes/openapi.ts";

// One contract per route: the calls the client is typed with are routes the hub serves,
// with the very schemas the hub checks requests against and the OpenAPI document shows.

const route = (call: string) => {
  const [method, path] = call.split(" ");
  return ROUTES.find((r) => r.method === method && r.path === path);
};

test("every call the client makes is a route of the hub", () => {
  for (const call of API_CALLS) expect([call, route(call) !== undefined]).toEqual([call, true]);
});

test("the hub checks bodies and queries with the contract's own schemas", () => {
  expect(route("POST /api/sessions/:host/:name/approve-tool")!.body).toBe(BODIES.approveTool);
  expect(route("POST /api/sessions/:name/approve-tool")!.body).toBe(BODIES.approveTool);
  expect(route("POST /api/sessions")!.body).toBe(BODIES.createSession);
  expect(route("GET /api/sessions/:host/:name/events")!.query).toBe(QUERIES.events);
  expect(route("GET /api/events")!.query).toBe(QUERIES.stream);
  expect(route("GET /api/conversations")!.query).toBe(QUERIES.conversations);
  expect(route("POST /api/conversations/:id/resume")!.body).toBe(BODIES.resumeConversation);
});

test("the OpenAPI document shows each route's body and query parameters", () => {
  const paths = openApiDocument().paths as Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: { "application/json": { schema: unknown } } } }>>;
  const events = paths["/api/sessions/{host}/{name}/events"]!.get!;
  expect(events.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(["path:host", "path:name", "query:after", "query:limit", "query:tail"]);
  expect(paths["/api/sessions/{host}/{name}/approve-tool"]!.post!.requestBody!.content["application/json"].schema).toEqual(BODIES.approveTool);
});

test("conversations are not sessions: no host form, and a resume answers 201 like a create", () => {
  expect(ROUTES.filter((r) => r.path.startsWith("/api/conversations")).map((r) => `${r.method} ${r.path}`)).toEqual([
    "GET /api/conversations",
    "GET /api/conversations/:id",
    "POST /api/conversations/:id/resume",
    "POST /api/conversations/:id/rename",
  ]);
  const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
  expect(Object.keys(paths["/api/conversations/{id}/resume"]!.post!.responses)).toContain("201");
});
