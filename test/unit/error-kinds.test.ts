import { expect, test } from "bun:test";
import { errorResponse, httpError } from "../../src/hub/http.ts";
import { HubClient } from "../../src/hub-client/client.ts";
import { ERROR_KINDS, isErrorName } from "../../src/shared/error-kinds.ts";
import { CsmError, usageError } from "../../src/shared/errors.ts";

// Each failure is declared once (name, exit code, HTTP status): the hub answers with that
// status, and a CLI that gets it back from a hub ends with that exit code.

test("an error's exit code and HTTP status come from its one declaration", async () => {
  expect(usageError("bad").exitCode).toBe(2);
  expect(new CsmError("ConfigInvalid", "x").exitCode).toBe(78);
  expect(new CsmError("HelpRequested", "x").exitCode).toBe(0);
  for (const [name, kind] of Object.entries(ERROR_KINDS)) {
    const response = errorResponse(httpError(name as keyof typeof ERROR_KINDS, "m", { a: 1 }));
    expect([name, response.status]).toEqual([name, kind.http]);
    expect(await response.json()).toEqual({ error: { name, message: "m", data: { a: 1 } } });
  }
  expect(errorResponse(new Error("boom")).status).toBe(500);
});

test("an error from a hub ends the CLI as if it had happened here; an unknown name stays readable", async () => {
  const answers: Record<string, { status: number; error: Record<string, unknown> }> = {
    "/ambiguous": { status: 409, error: { name: "AmbiguousSession", message: "api is a session on 2 hosts", data: { candidates: ["api@local", "api@devbox"] } } },
    "/newer": { status: 422, error: { name: "SomethingNewer", message: "a newer csm said no", data: {} } },
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const answer = answers[new URL(request.url).pathname]!;
      return new Response(JSON.stringify({ error: answer.error }), { status: answer.status, headers: { "content-type": "application/json" } });
    },
  });
  try {
    const client = new HubClient({ pid: 1, port: server.port!, version: "x", startedAt: "" }, "t");
    const ambiguous = await client.request("GET", "/ambiguous").catch((error: CsmError) => error);
    expect(ambiguous).toMatchObject({ name: "AmbiguousSession", exitCode: 2, message: "api is a session on 2 hosts" });
    const newer = await client.request("GET", "/newer").catch((error: CsmError) => error);
    expect(newer).toMatchObject({ name: "HubError", exitCode: 1, message: "a newer csm said no" });
  } finally {
    server.stop(true);
  }
  expect(isErrorName("__proto__")).toBe(false);
  expect(isErrorName("toString")).toBe(false);
});
