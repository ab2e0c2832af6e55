import { expect, setDefaultTimeout, test } from "bun:test";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DiffStat, FileDiff } from "../../src/core/sessions/diff-types.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// GET /api/sessions/:name/diff: the stat first, one file's hunks when asked for; a path
// is data, so only a file the stat lists is ever read.
setDefaultTimeout(30_000);

test("?stat=1 is the stat, ?file= one file's diff, anything not in the stat a 404", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // First: a session's bridge would otherwise start a hub of its own.
  await using hub = await startTestHub(sb);
  await createSession(sb, "web", repo);
  const worktree = worktreePath(sb, repo, "web");
  await writeFile(join(worktree, "README.md"), "# app\nreviewed\n");
  await writeFile(join(worktree, "notes.txt"), "new\n");

  const stat = (await (await hub.fetch("/api/sessions/web/diff?stat=1")).json()) as DiffStat;
  expect(stat).toMatchObject({ session: "web", baseRef: "main", ahead: 0, behind: 0, added: 2, removed: 0 });
  expect(stat.files.map((f) => [f.status, f.path])).toEqual([
    ["modified", "README.md"],
    ["untracked", "notes.txt"],
  ]);
  // Neither parameter: the stat too; the host form answers the same.
  expect(await (await hub.fetch("/api/sessions/web/diff")).json()).toEqual(stat);
  expect(await (await hub.fetch("/api/sessions/local/web/diff?stat=1")).json()).toEqual(stat);

  const file = (await (await hub.fetch(`/api/sessions/web/diff?file=${encodeURIComponent("README.md")}`)).json()) as FileDiff;
  expect(file).toMatchObject({ path: "README.md", binary: false });
  expect(file.diff).toContain("+reviewed");
  const untracked = (await (await hub.fetch("/api/sessions/web/diff?file=notes.txt")).json()) as FileDiff;
  expect(untracked.diff).toContain("+new");

  for (const hostile of ["../../etc/passwd", "/etc/passwd", "package.json", ""]) {
    const refused = await hub.fetch(`/api/sessions/web/diff?file=${encodeURIComponent(hostile)}`);
    expect([hostile, refused.status]).toEqual([hostile, 404]);
    const body = (await refused.json()) as { error: { name: string; message: string } };
    expect(body.error.name).toBe("NotFound");
    expect(body.error.message).not.toContain("root:");
  }
  expect((await hub.fetch("/api/sessions/web/diff?path=README.md")).status).toBe(400);
  expect((await hub.fetch("/api/sessions/nobody/diff?stat=1")).status).toBe(404);
  expect((await hub.fetch("/api/sessions/web/diff", { headers: { authorization: "" } })).status).toBe(401);

  await rename(worktree, `${worktree}.moved`);
  const gone = await hub.fetch("/api/sessions/web/diff?stat=1");
  expect(gone.status).toBe(409);
  const error = ((await gone.json()) as { error: { name: string; message: string } }).error;
  expect(error.name).toBe("WorktreeGone");
  expect(error.message).toContain(worktree);
  await rename(`${worktree}.moved`, worktree);
});
