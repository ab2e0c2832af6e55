import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { PROJECT_ROOT, makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("--version prints the version from package.json", async () => {
  await using sb = await makeSandbox();
  const { version } = await Bun.file(join(PROJECT_ROOT, "package.json")).json();
  const result = await sb.csm(["--version"]);
  expect(result).toMatchObject({ code: 0 });
  expect(result.stdout).toContain(version);
});

test("help lists every command", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["help"]);
  expect(result).toMatchObject({ code: 0 });
  for (const command of ["create", "list", "attach", "kill", "hosts", "doctor", "help"]) expect(result.stdout).toContain(command);
});

test("hosts lists the local host", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["hosts"]);
  expect(result).toMatchObject({ code: 0 });
  expect(result.stdout).toContain("local");
});

test("an unknown command is a usage error", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["frobnicate"]);
  expect(result.code).toBe(2);
  expect(result.stderr).toStartWith("csm: ");
});
