import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// POST /api/sessions with an SSH host: the host's own csm makes the session (the web
// dashboard's create dialog offers every host), its values passed as text, never as shell.

setDefaultTimeout(60_000);

test("POST /api/sessions on a remote host: made there by its csm; hostile values stay text; refusals keep their status", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  await using hub = await startTestHub(sb);
  const canary = join(sb.paths.root, "canary");
  const prompt = `--help; touch ${canary} $(touch ${canary}) \`touch ${canary}\``;
  const post = (body: object) => hub.fetch("/api/sessions", { method: "POST", body: JSON.stringify(body) });

  const created = await post({ name: "far", host: "devbox", prompt, mode: "headless" });
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ name: "far", host: "devbox", mode: "headless" });
  const listed = JSON.parse((await sb.csm(["list", "--host", "devbox", "--json"])).stdout) as { name: string; worktree: string }[];
  expect(listed.map((s) => s.name)).toEqual(["far"]);
  expect(listed[0]!.worktree).toContain(join("devbox", "data"));
  // The prompt reached the remote claude as one piece of text.
  await sb.waitFor(() => existsSync(remote.remoteEnv.FAKE_CLAUDE_LOG!) && readFileSync(remote.remoteEnv.FAKE_CLAUDE_LOG!, "utf8").includes("touch"), { what: "the remote claude's input" });
  expect(readFileSync(remote.remoteEnv.FAKE_CLAUDE_LOG!, "utf8")).toContain(JSON.stringify(prompt).slice(1, -1));
  expect(existsSync(canary)).toBe(false);

  const again = await post({ name: "far", host: "devbox" });
  expect(again.status).toBe(409);
  expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/^devbox: .*far/);
  const unknown = await post({ name: "x", host: "nowhere" });
  expect(unknown.status).toBe(400);
  expect(await unknown.json()).toMatchObject({ error: { name: "BadField", data: { field: "host" } } });
});
