import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { hasTmuxSession, listSessions, worktreePath } from "../helpers/sessions.ts";
import { existsSync } from "node:fs";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("a --repo that is not a git repository is refused and leaves nothing", async () => {
  await using sb = await makeSandbox();
  const plain = join(sb.paths.root, "plain-dir");
  await mkdir(plain);

  const result = await sb.csm(["create", "fix-login", "--repo", plain]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain(plain);
  expect(result.stderr).toMatch(/git/i);

  expect(await readdir(plain)).toEqual([]);
  expect(existsSync(worktreePath(sb, plain, "fix-login"))).toBe(false);
  expect(await hasTmuxSession(sb, "fix-login")).toBe(false);
  expect(await listSessions(sb)).toEqual([]);
});

test("a --repo that does not exist is refused and leaves nothing", async () => {
  await using sb = await makeSandbox();
  const missing = join(sb.paths.root, "no-such-repo");
  const result = await sb.csm(["create", "fix-login", "--repo", missing]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(missing);
  expect(existsSync(missing)).toBe(false);
  expect(await listSessions(sb)).toEqual([]);
});
