import { expect, setDefaultTimeout, test } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";

setDefaultTimeout(30_000);

// `csm rules test` explains every part of a Bash command, and which one made it ask or deny.

const RULES = [
  { tool: "Bash", pattern: "git *", action: "allow" },
  { tool: "Bash", pattern: "rm *", action: "deny" },
];

test("rules test shows each part's decision and marks the one that settled the request", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ toolApprovalRules: RULES });

  const asked = await sb.csm(["rules", "test", "Bash", "git status; ls"]);
  expect(asked.code).toBe(0);
  expect(asked.stdout.split("\n")).toEqual([
    "ask (no rule decides it: a person does)",
    'why: no rule matches "ls"; a request is allowed only if every part is',
    "parts (2): each part is decided on its own; all must be allowed",
    '  allow "git status": toolApprovalRules[0] (Bash "git *" → allow) matches "git status"',
    '→ ask   "ls": no rule matches "ls"',
    "",
  ]);

  const denied = (await sb.csm(["rules", "test", "Bash", "git status $(rm -rf x)"])).stdout;
  expect(denied).toStartWith('deny by toolApprovalRules[1] (Bash "rm *" → deny)');
  expect(denied).toContain('→ deny  "rm -rf x": toolApprovalRules[1]');

  const unsplit = (await sb.csm(["rules", "test", "Bash", "git status ${y@P}"])).stdout;
  expect(unsplit).toContain("why: cannot split the command with confidence: ${y@P} uses a transformation");
  expect(unsplit).toContain("parts: none — the input could not be split");

  const commit = "git commit -m \"$(cat <<'EOF'\nFix it.\nEOF\n)\"";
  const allowed = (await sb.csm(["rules", "test", "Bash", commit])).stdout;
  expect(allowed).toStartWith('allow by toolApprovalRules[0] (Bash "git *" → allow)');
  expect(allowed).toContain("parts (1): the request is decided by its only part");

  // A broad allow does not cover what the command can be told to run.
  const runner = (await sb.csm(["rules", "test", "Bash", "git -c alias.x='!touch pwned' x"])).stdout;
  expect(runner).toStartWith("ask");
  expect(runner).toContain('toolApprovalRules[0] (Bash "git *" → allow) matches');
  expect(runner).toMatch(/but .*-c/);
});

test("rules test decides paths on where they really lead", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ toolApprovalRules: [{ tool: "Write", pattern: "src/**", action: "allow" }] });
  const worktree = await sb.makeRepo("app");
  const { mkdir, symlink } = await import("node:fs/promises");
  await mkdir(`${worktree}/src`, { recursive: true });
  await symlink(sb.paths.root, `${worktree}/src/out`);
  const inside = await sb.csm(["rules", "test", "Write", `${worktree}/src/a.ts`, "--worktree", worktree]);
  expect(inside.stdout).toStartWith("allow");
  const through = await sb.csm(["rules", "test", "Write", `${worktree}/src/out/x`, "--worktree", worktree]);
  expect(through.stdout).toStartWith("ask");
});

test("rules list shows a pattern printable: claude's command kept by --always may hold C1 codes and bidi overrides", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "echo \u009b31mRED \u202eevil", action: "allow" }] });
  const listed = await sb.csm(["rules", "list"]);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain("echo");
  expect(listed.stdout).not.toMatch(/[\u009b\u202e]/);
});
