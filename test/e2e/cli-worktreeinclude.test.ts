import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// `.worktreeinclude` (gitignore syntax) names ignored files each new worktree gets a copy of.

test(".worktreeinclude copies matching ignored files, nested and negated patterns included", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await writeFile(join(repo, ".gitignore"), ".env\nconfig/\nsub/\nnode_modules/\n");
  await writeFile(join(repo, ".worktreeinclude"), ".env\nconfig/**\n!config/skip.json\n**/*.local\n");
  await sb.git(repo, ["add", ".gitignore", ".worktreeinclude"]);
  await sb.git(repo, ["commit", "-q", "-m", "ignore local files"]);
  await writeFile(join(repo, ".env"), "SECRET=1\n");
  await mkdir(join(repo, "config", "deep"), { recursive: true });
  await writeFile(join(repo, "config", "a.json"), "a\n");
  await writeFile(join(repo, "config", "deep", "b.json"), "b\n");
  await writeFile(join(repo, "config", "skip.json"), "skip\n");
  await mkdir(join(repo, "sub", "dir"), { recursive: true });
  await writeFile(join(repo, "sub", "dir", "x.local"), "x\n");
  await mkdir(join(repo, "node_modules"));
  await writeFile(join(repo, "node_modules", "big.js"), "not listed\n");
  // Matches a pattern but is not ignored: it would show as a change in the worktree.
  await writeFile(join(repo, "not-ignored.local"), "");

  await createSession(sb, "inc", repo);

  const worktree = worktreePath(sb, repo, "inc");
  expect(await readFile(join(worktree, ".env"), "utf8")).toBe("SECRET=1\n");
  expect(await readFile(join(worktree, "config", "a.json"), "utf8")).toBe("a\n");
  expect(await readFile(join(worktree, "config", "deep", "b.json"), "utf8")).toBe("b\n");
  expect(await readFile(join(worktree, "sub", "dir", "x.local"), "utf8")).toBe("x\n");
  expect(existsSync(join(worktree, "config", "skip.json"))).toBe(false);
  expect(existsSync(join(worktree, "node_modules"))).toBe(false);
  expect(existsSync(join(worktree, "not-ignored.local"))).toBe(false);
  // Nothing copied shows as a change: kill needs no --force.
  expect(await sb.git(worktree, ["status", "--porcelain"])).toBe("");
});

test("patterns and symlinks that lead out of the repository copy nothing from outside", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const outside = join(sb.paths.root, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), "do not copy\n");
  await writeFile(join(repo, ".gitignore"), "*.txt\nlinked/\n");
  await writeFile(join(repo, ".worktreeinclude"), "../outside/secret.txt\n/../outside/*\nlinked/**\n*.txt\n");
  await sb.git(repo, ["add", ".gitignore", ".worktreeinclude"]);
  await sb.git(repo, ["commit", "-q", "-m", "include"]);
  await symlink(join(outside, "secret.txt"), join(repo, "leak.txt"));
  await symlink(outside, join(repo, "linked"));
  await writeFile(join(repo, "fine.txt"), "fine\n");

  const created = await createSession(sb, "esc", repo);

  const worktree = worktreePath(sb, repo, "esc");
  expect(await readFile(join(worktree, "fine.txt"), "utf8")).toBe("fine\n");
  expect(existsSync(join(worktree, "leak.txt"))).toBe(false);
  expect(existsSync(join(worktree, "linked"))).toBe(false);
  expect(existsSync(join(sb.paths.root, "data", "csm", "worktrees", "outside"))).toBe(false);
  expect(created.stderr).toContain("leak.txt");
});
