import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeLaunches, worktreePath } from "../helpers/sessions.ts";

// The prompt is data: it must reach claude as one argument, byte for byte, and no shell
// may ever see it.
test("a prompt full of shell syntax reaches claude verbatim and runs nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const canary = (n: number) => join(sb.paths.root, `canary-${n}`);
  const prompt = `fix $(touch ${canary(1)}) ; touch ${canary(2)} \`touch ${canary(3)}\` && echo "quoted 'it'" | tee ${canary(4)} $HOME`;

  await createSession(sb, "hostile-prompt", repo, ["--prompt", prompt]);

  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args.at(-1)).toBe(prompt);
  expect(launch!.args.at(-2)).toBe("--");
  expect(launch!.cwd).toBe(worktreePath(sb, repo, "hostile-prompt"));
  for (const n of [1, 2, 3, 4]) expect(existsSync(canary(n))).toBe(false);
});

test("a prompt that looks like an option is still the prompt", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "dashy", repo, ["--prompt=--dangerously-skip-permissions"]);
  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args.slice(-2)).toEqual(["--", "--dangerously-skip-permissions"]);
});
