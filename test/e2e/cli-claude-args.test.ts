import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeInput, waitForClaudeLaunches } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// claude's argv: the link's flags, the session id, then the config's claudeArgs; the
// prompt goes over stdin, never into argv.
test("claudeArgs from the config reach claude; the prompt comes on stdin", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await sb.writeConfig({ claudeArgs: ["--model", "opus"] });

  await createSession(sb, "with-args", repo, ["--prompt", "fix the login page"]);

  const launch = await waitForClaudeInput(sb);
  expect(launch.args.slice(-2)).toEqual(["--model", "opus"]);
  expect(launch.args).toContain("--session-id");
  expect(launch.stdin[0]).toMatchObject({ type: "user", message: { content: "fix the login page" } });
});

test("without --prompt claude is started with no prompt at all", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "no-prompt", repo);
  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.args).not.toContain("--");
  expect(launch!.stdin).toEqual([]);
});
