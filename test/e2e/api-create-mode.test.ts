import { expect, test, setDefaultTimeout } from "bun:test";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const post = (body: object) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("POST /api/sessions takes mode: headless over the hub's native default; a bad mode is a 400 naming the field", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // The hub's own sessionMode is native: only the body's mode makes the session headless
  // (the stand-in claude speaks stream-json only).
  await using hub = await startTestHub({ ...sb, env: { ...sb.env, CSM_SESSION_MODE: "native" } });

  const bogus = await hub.fetch("/api/sessions", post({ name: "a", repo, mode: "bogus" }));
  expect(bogus.status).toBe(400);
  expect(((await bogus.json()) as { error: { name: string; message: string; data: { field: string } } }).error).toEqual({ name: "BadField", message: "mode must be native or headless", data: { field: "mode" } });

  const created = await hub.fetch("/api/sessions", post({ name: "by-api", repo, mode: "headless" }));
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ name: "by-api", mode: "headless" });
  expect(await (await hub.fetch("/api/sessions/by-api")).json()).toMatchObject({ name: "by-api", mode: "headless" });
  const listed = (await (await hub.fetch("/api/sessions")).json()) as { name: string; mode: string }[];
  expect(listed.map((s) => [s.name, s.mode])).toEqual([["by-api", "headless"]]);
});
