import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A project's teardownScript runs in the worktree before `kill` removes it.

test("teardownScript runs in the worktree, with CSM_REPO, CSM_WORKTREE and CSM_PORT_BASE", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const record = join(sb.paths.root, "teardown.txt");
  const script = join(sb.paths.root, "teardown.sh");
  await writeFile(script, `#!/bin/sh\n{ pwd -P; echo "$CSM_REPO"; echo "$CSM_WORKTREE"; echo "$CSM_PORT_BASE"; } > '${record}'\n`);
  await chmod(script, 0o755);
  await sb.writeConfig({ projects: { app: { repo, teardownScript: [script, "$(touch CANARY)"] } } });
  await createSession(sb, "td", repo);
  const worktree = worktreePath(sb, repo, "td");
  const portBase = (await findSession(sb, "td") as { portBase?: number }).portBase;

  const killed = await sb.csm(["kill", "td"]);

  expect(killed).toMatchObject({ code: 0 });
  expect((await readFile(record, "utf8")).split("\n").slice(0, 4)).toEqual([worktree, repo, worktree, String(portBase)]);
  expect(existsSync(worktree)).toBe(false);
  expect(existsSync(join(repo, "CANARY"))).toBe(false);
});

test("a failing teardownScript keeps the session and its worktree unless --force", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ projects: { app: { repo, teardownScript: ["/bin/sh", "-c", "echo 'compose down failed' >&2; exit 3"] } } });
  await createSession(sb, "stuck", repo);
  const worktree = worktreePath(sb, repo, "stuck");

  const refused = await sb.csm(["kill", "stuck"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toStartWith("csm: ");
  expect(refused.stderr).toContain("compose down failed");
  expect(refused.stderr).toContain("--force");
  expect(existsSync(worktree)).toBe(true);
  expect(await hasTmuxSession(sb, "stuck")).toBe(true);
  expect(await findSession(sb, "stuck")).toBeDefined();

  const forced = await sb.csm(["kill", "stuck", "--force"]);
  expect(forced.code).toBe(0);
  expect(forced.stdout).toContain("teardown script");
  expect(existsSync(worktree)).toBe(false);
  expect(await findSession(sb, "stuck")).toBeUndefined();
});
