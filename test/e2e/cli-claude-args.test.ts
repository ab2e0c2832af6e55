import { expect, test } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeLaunches } from "../helpers/sessions.ts";

// claude's argv: the config's claudeArgs first, then the prompt as the one argument after `--`.
test("claudeArgs from the config come before the prompt", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ claudeArgs: ["--model", "opus"] });

  await createSession(sb, "with-args", repo, ["--prompt", "fix the login page"]);

  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args.slice(0, 2)).toEqual(["--model", "opus"]);
  expect(launch!.args.slice(-2)).toEqual(["--", "fix the login page"]);
});

test("without --prompt claude gets no prompt argument", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "no-prompt", repo);
  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args).not.toContain("--");
});
