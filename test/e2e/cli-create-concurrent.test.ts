import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";
import { listSessions } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Scripts start several sessions at once (`for t in a b c; do csm create $t & done`);
// creates that overlap must share the store instead of failing on each other, even on
// the very first run, when the store does not exist yet.
test("creates started at the same time all succeed", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const names = ["one", "two", "three", "four"];

  const results = await Promise.all(names.map((name) => sb.csm(["create", name, "--repo", repo])));

  for (const result of results) expect(result).toMatchObject({ code: 0 });
  expect((await listSessions(sb)).map((session) => session.name).sort()).toEqual([...names].sort());
});
