import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeInput, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// The prompt is data: it reaches claude as the text of a stream-json user message on its
// stdin, byte for byte; it is never an argument and no shell ever sees it.
test("a prompt full of shell syntax reaches claude verbatim and runs nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const canary = (n: number) => join(sb.paths.root, `canary-${n}`);
  const prompt = `fix $(touch ${canary(1)}) ; touch ${canary(2)} \`touch ${canary(3)}\` && echo "quoted 'it'" | tee ${canary(4)} $HOME\\n`;

  await createSession(sb, "hostile-prompt", repo, ["--prompt", prompt]);

  const launch = await waitForClaudeInput(sb);
  expect(launch.stdin[0]).toMatchObject({ type: "user", message: { role: "user", content: prompt } });
  expect(launch.args).not.toContain(prompt);
  expect(launch.cwd).toBe(worktreePath(sb, repo, "hostile-prompt"));
  for (const n of [1, 2, 3, 4]) expect(existsSync(canary(n))).toBe(false);
});

test("a prompt that looks like an option is still the prompt", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "dashy", repo, ["--prompt=--dangerously-skip-permissions"]);
  const launch = await waitForClaudeInput(sb);
  expect(launch.stdin[0]).toMatchObject({ message: { content: "--dangerously-skip-permissions" } });
  expect(launch.args).not.toContain("--dangerously-skip-permissions");
});
