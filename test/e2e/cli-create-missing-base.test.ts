import { expect, test } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { expectNothingLeft } from "../helpers/sessions.ts";

test("a --base that does not resolve is refused and leaves nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  const result = await sb.csm(["create", "fix-login", "--repo", repo, "--base", "no-such-ref"]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain("no-such-ref");

  await expectNothingLeft(sb, repo, "fix-login");
});
