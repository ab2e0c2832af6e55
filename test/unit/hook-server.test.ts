import { expect, test } from "bun:test";
import { startHookServer } from "../../src/link/hook-server.ts";

// The endpoint a session's claude calls its hooks on: 127.0.0.1 only, and only with that
// session's own secret; anything else is refused before the payload is looked at.

test("only the session's own secret is heard: none, a wrong one, another session's are 401 and change nothing", async () => {
  const heard: unknown[] = [];
  const mine = startHookServer("secret-a", async (payload) => (heard.push(payload), { ok: true }), "/hooks/native");
  const theirs = startHookServer("secret-b", async () => ({}), "/hooks/native");
  try {
    expect(mine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/native$/);
    const post = (authorization: string | null, body = '{"hook_event_name":"Stop"}') =>
      fetch(mine.url, { method: "POST", headers: authorization ? { authorization } : {}, body });
    expect((await post(null)).status).toBe(401);
    expect((await post("Bearer wrong")).status).toBe(401);
    expect((await post("Bearer secret-b")).status).toBe(401);
    expect((await post("secret-a")).status).toBe(401);
    expect(heard).toEqual([]);
    expect((await fetch(mine.url, { headers: { authorization: "Bearer secret-a" } })).status).toBe(405);
    expect((await post("Bearer secret-a", "{not json")).status).toBe(400);
    const answered = await post("Bearer secret-a");
    expect([answered.status, await answered.json()]).toEqual([200, { ok: true }]);
    expect(heard).toEqual([{ hook_event_name: "Stop" }]);
  } finally {
    mine.stop();
    theirs.stop();
  }
});
