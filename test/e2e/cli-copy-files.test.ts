import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Gitignored files (.env and friends) do not come with `git worktree add`; copyFiles
// brings them over from the repo.
test("copyFiles copies gitignored files from the repo into the worktree", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await writeFile(join(repo, ".gitignore"), ".env\nconfig/local.json\n");
  await sb.git(repo, ["add", ".gitignore"]);
  await sb.git(repo, ["commit", "-q", "-m", "ignore local files"]);
  await writeFile(join(repo, ".env"), "SECRET=swordfish\n");
  await mkdir(join(repo, "config"));
  await writeFile(join(repo, "config", "local.json"), '{"debug":true}\n');
  await sb.writeConfig({ projects: { app: { repo, copyFiles: [".env", "config/local.json"] } } });

  await createSession(sb, "with-env", repo);

  const worktree = worktreePath(sb, repo, "with-env");
  expect(await readFile(join(worktree, ".env"), "utf8")).toBe("SECRET=swordfish\n");
  expect(await readFile(join(worktree, "config", "local.json"), "utf8")).toBe('{"debug":true}\n');
});
