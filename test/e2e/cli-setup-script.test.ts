import { expect, test, setDefaultTimeout } from "bun:test";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeLaunches, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A project's setupScript runs in the new worktree before claude starts.
test("a project's setupScript runs in the new worktree", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const script = join(repo, "setup.sh");
  await writeFile(script, '#!/bin/sh\npwd -P > setup-ran.txt\n');
  await chmod(script, 0o755);
  await sb.git(repo, ["add", "setup.sh"]);
  await sb.git(repo, ["commit", "-q", "-m", "add setup script"]);
  await sb.writeConfig({ projects: { app: { repo, setupScript: "setup.sh" } } });

  await createSession(sb, "with-setup", repo);

  const worktree = worktreePath(sb, repo, "with-setup");
  expect((await readFile(join(worktree, "setup-ran.txt"), "utf8")).trim()).toBe(worktree);
  await waitForClaudeLaunches(sb);
});

test("a setupScript given as an argv array runs without a shell", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // `$(touch …)` would only run if something put the argv through a shell.
  await sb.writeConfig({ projects: { app: { repo, setupScript: [Bun.which("touch")!, "made-by-setup", "$(touch CANARY)"] } } });

  await createSession(sb, "argv-setup", repo);

  const worktree = worktreePath(sb, repo, "argv-setup");
  expect(await Bun.file(join(worktree, "made-by-setup")).exists()).toBe(true);
  expect(await Bun.file(join(worktree, "$(touch CANARY)")).exists()).toBe(true);
  expect(await Bun.file(join(worktree, "CANARY")).exists()).toBe(false);
});
