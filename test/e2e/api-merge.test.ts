import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { commitFile, fingerprint, sessionWithCommit } from "../helpers/landing.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// POST /api/sessions/:name/merge and /push: what `csm merge` and `csm push` do, with the
// same refusals as 409s.
setDefaultTimeout(30_000);

const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("merge and push over the API; a conflict is a 409 that changed nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  // First: a session's bridge would otherwise start a hub of its own.
  await using hub = await startTestHub(sb);
  const { worktree, branch, commit } = await sessionWithCommit(sb, repo, "web");

  const pushed = await hub.fetch("/api/sessions/local/web/push", post({}));
  expect(pushed.status).toBe(200);
  expect(await pushed.json()).toEqual({ name: "web", branch, remote: "origin", head: commit });
  expect(await sb.git(join(sb.paths.root, "remotes", "app.git"), ["rev-parse", `refs/heads/${branch}`])).toBe(commit);
  const noRemote = await hub.fetch("/api/sessions/web/push", post({ remote: "upstream" }));
  expect(noRemote.status).toBe(409);
  expect(((await noRemote.json()) as { error: { name: string } }).error.name).toBe("PushRejected");

  const merged = await hub.fetch("/api/sessions/web/merge", post({ mode: "squash", message: "web's feature" }));
  expect(merged.status).toBe(200);
  expect(await merged.json()).toMatchObject({ name: "web", mode: "squash", target: "main", upToDate: false, fastForward: false });
  expect(await sb.git(repo, ["log", "-1", "--format=%s", "main"])).toBe("web's feature");

  await commitFile(sb, worktree, "README.md", "# web's README\n", "web edits the README");
  await commitFile(sb, repo, "README.md", "# main's README\n", "main edits the README");
  const before = await fingerprint(sb, [repo, worktree], ["main", branch]);
  const conflict = await hub.fetch("/api/sessions/web/merge", post({ mode: "merge" }));
  expect(conflict.status).toBe(409);
  const error = ((await conflict.json()) as { error: { name: string; data: { files: string[] } } }).error;
  expect(error).toMatchObject({ name: "MergeConflict", data: { files: ["README.md"] } });
  expect(await fingerprint(sb, [repo, worktree], ["main", branch])).toEqual(before);

  for (const bad of [{ mode: "octopus" }, { into: "../main" }, { extra: 1 }]) {
    expect([bad, (await hub.fetch("/api/sessions/web/merge", post(bad))).status]).toEqual([bad, 400]);
  }
  expect((await hub.fetch("/api/sessions/nobody/merge", post({}))).status).toBe(404);
});
