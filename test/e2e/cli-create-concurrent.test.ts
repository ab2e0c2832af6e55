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

// The same name four times at once: one wins, the others get csm's own refusal (the
// same as for a session that already exists), never git's words about a branch or path.
test("concurrent creates of one name: one succeeds, the others are told it exists", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  const results = await Promise.all([1, 2, 3, 4].map(() => sb.csm(["create", "dup", "--repo", repo])));

  expect(results.filter((result) => result.code === 0).length).toBe(1);
  const again = await sb.csm(["create", "dup", "--repo", repo]);
  for (const loser of [again, ...results.filter((result) => result.code !== 0)]) {
    expect({ code: loser.code, stderr: loser.stderr }).toEqual({ code: again.code, stderr: expect.stringContaining("a session named dup already exists") });
    expect(loser.stderr).not.toMatch(/fatal|git |worktree add|branch named/i);
  }
  expect((await listSessions(sb)).map((session) => session.name)).toEqual(["dup"]);
});
