import { bearer, secretsMatch } from "../shared/secrets.ts";

// The HTTP endpoint claude's hooks call, served by the process that runs claude (the
// bridge), so deny rules hold whether or not the hub is up. It listens on 127.0.0.1 on a
// port of the kernel's choosing and answers only requests that carry its secret.

/** A tool call's input can be a whole file (Write): generous, but bounded. */
export const MAX_HOOK_BODY_BYTES = 32 * 1024 * 1024;

export interface HookServer {
  readonly url: string;
  stop(): void;
}

export function startHookServer(secret: string, answer: (payload: unknown) => Promise<Record<string, unknown>>, path = "/hooks/pre-tool-use"): HookServer {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    // A native session's PermissionRequest hook stays open while a person decides.
    idleTimeout: 0,
    maxRequestBodySize: MAX_HOOK_BODY_BYTES,
    async fetch(request) {
      if (!secretsMatch(bearer(request.headers.get("authorization")), secret)) return Response.json({ error: "hook secret refused" }, { status: 401 });
      if (request.method !== "POST") return Response.json({ error: "POST only" }, { status: 405 });
      let payload: unknown;
      try {
        payload = await request.json();
      } catch {
        return Response.json({ error: "the body is not JSON" }, { status: 400 });
      }
      try {
        return Response.json(await answer(payload));
      } catch (error) {
        // claude blocks the tool call on a failed hook (onFailure: "block"): nothing runs unchecked.
        return Response.json({ error: (error as Error).message }, { status: 500 });
      }
    },
  });
  return { url: `http://127.0.0.1:${server.port}${path}`, stop: () => void server.stop(true) };
}
