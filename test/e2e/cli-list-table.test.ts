import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("`csm list` and `csm ls` print a table with one row per session", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "fix-login", repo);
  await createSession(sb, "add-search", repo, ["--no-worktree"]);
  const session = await findSession(sb, "fix-login");

  for (const command of ["list", "ls"]) {
    const result = await sb.csm([command]);
    expect(result).toMatchObject({ code: 0 });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/NAME/i);
    expect(lines[0]).toMatch(/STATUS/i);
    const row = lines.find((line) => line.includes("fix-login"))!;
    expect(row).toContain(session!.status);
    expect(row).toContain(session!.branch!);
    expect(lines.some((line) => line.includes("add-search"))).toBe(true);
  }
});

test("with no sessions, `csm list --json` is an empty array", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["list", "--json"]);
  expect(result).toMatchObject({ code: 0 });
  expect(JSON.parse(result.stdout)).toEqual([]);
});
