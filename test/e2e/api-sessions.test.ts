import { expect, test, setDefaultTimeout } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("create, read, refuse to kill unsaved work (409 with the list), kill", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await using hub = await startTestHub(sb);
  const created = await hub.fetch("/api/sessions", { method: "POST", body: JSON.stringify({ name: "web", repo, prompt: "hello" }) });
  expect(created.status).toBe(201);
  const session = (await created.json()) as { name: string; worktree: string; branch: string };
  expect(session).toMatchObject({ name: "web", branch: expect.stringMatching(/^csm\/web-/) });
  expect((await sb.csm(["list", "--json"])).stdout).toContain('"name": "web"');
  expect((await hub.fetch("/api/sessions", { method: "POST", body: JSON.stringify({ name: "web", repo }) })).status).toBe(409);
  expect((await hub.fetch("/api/sessions", { method: "POST", body: JSON.stringify({ name: "far", repo, host: "elsewhere" }) })).status).toBe(400);

  const one = (await (await hub.fetch("/api/sessions/web")).json()) as { pending: unknown[]; worktree: string };
  expect(one.pending).toEqual([]);

  writeFileSync(join(session.worktree, "draft.txt"), "unsaved");
  const refused = await hub.fetch("/api/sessions/web", { method: "DELETE", body: "{}" });
  expect(refused.status).toBe(409);
  const error = ((await refused.json()) as { error: { name: string; data: { uncommitted: string[] } } }).error;
  expect(error.name).toBe("UnsavedWork");
  expect(error.data.uncommitted).toEqual(["?? draft.txt"]);

  const killed = await hub.fetch("/api/sessions/web/kill", { method: "POST", body: JSON.stringify({ force: true, deleteBranch: true }) });
  expect(killed.status).toBe(200);
  expect((await hub.fetch("/api/sessions/web")).status).toBe(404);
  expect((await hub.fetch("/api/sessions/web/approve-tool", { method: "POST", body: JSON.stringify({ requestId: "stale", action: "allow" }) })).status).toBe(404);
});
