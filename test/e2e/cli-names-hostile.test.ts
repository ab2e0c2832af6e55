import { expect, test, setDefaultTimeout } from "bun:test";
import { findCanaries } from "../helpers/canary.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { csmBranches, gitWorktrees, listSessions } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Names end up in tmux targets, branch names and paths, so anything outside
// [A-Za-z0-9][A-Za-z0-9._-]{0,63} is refused at the door: exit 2, one line, nothing made.
const HOSTILE_NAMES = [
  "a;touch CANARY",
  "$(touch CANARY)",
  "`touch CANARY`",
  "../x",
  "x/../../CANARY",
  "-rf",
  "",
  ".hidden",
  "fix-l\u043Egin", // Cyrillic "о" posing as Latin "o"
  "a".repeat(65),
  "tab\tname",
  "new\nline",
];

test("hostile names are refused with exit 2 before anything is created", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  for (const name of HOSTILE_NAMES) {
    // `--` so that `-rf` reaches the name check instead of the flag parser (both must refuse).
    for (const args of [["create", name, "--repo", repo], ["create", "--repo", repo, "--", name]]) {
      const result = await sb.csm(args, { cwd: repo });
      expect({ name, code: result.code }).toEqual({ name, code: 2 });
      expect(result.stderr).toStartWith("csm: ");
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  }

  expect(await findCanaries(sb.paths.root, "CANARY")).toEqual([]);
  expect(await csmBranches(sb, repo)).toEqual([]);
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
  expect(await listSessions(sb)).toEqual([]);
  const tmuxSessions = await sb.tmux(["list-sessions", "-F", "#{session_name}"]);
  expect(tmuxSessions.stdout).toBe("");
});

test("the longest valid name (64 characters) is accepted", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const name = "a".repeat(64);
  const result = await sb.csm(["create", name, "--repo", repo, "--no-worktree"]);
  expect(result).toMatchObject({ code: 0 });
  expect((await listSessions(sb)).map((session) => session.name)).toEqual([name]);
});

test("other commands refuse hostile names the same way", async () => {
  await using sb = await makeSandbox();
  for (const command of ["attach", "kill"]) {
    const result = await sb.csm([command, "--", "a;touch CANARY"]);
    expect({ command, code: result.code }).toEqual({ command, code: 2 });
  }
  expect(await findCanaries(sb.paths.root, "CANARY")).toEqual([]);
});
