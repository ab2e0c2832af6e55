import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { findSession } from "../helpers/sessions.ts";

// Real tmux, git and the stand-in claude: slower than bun's 5 s default on a loaded machine.
setDefaultTimeout(30_000);

// `--help` is help only where a flag can stand: after `--` or as an option's value it is
// the user's text, and the command runs.

test("`csm send x -- --help` tries to send the text instead of printing help", async () => {
  await using sb = await makeSandbox();
  const sent = await sb.csm(["send", "x", "--", "--help"]);
  expect(sent.stdout).not.toContain("usage:");
  expect(sent.stderr).toContain('no session named "x"');
  expect(sent.code).not.toBe(0);
});

test("`csm create x --prompt -h` creates x with the prompt -h", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const created = await sb.csm(["create", "x", "--repo", repo, "--prompt", "-h"]);
  expect(created.stdout).not.toContain("usage:");
  expect(created.code).toBe(0);
  expect(await findSession(sb, "x")).toBeDefined();
});

test("--help where a flag stands still prints the command's help, nothing run", async () => {
  await using sb = await makeSandbox();
  for (const argv of [["kill", "x", "--help"], ["create", "x", "--json", "-h"], ["create", "x", "--prompt", "hi", "--help"]]) {
    const help = await sb.csm(argv);
    expect({ argv, code: help.code, help: help.stdout.startsWith(`usage: csm ${argv[0]} NAME`) }).toEqual({ argv, code: 0, help: true });
  }
  expect(await findSession(sb, "x")).toBeUndefined();
});
