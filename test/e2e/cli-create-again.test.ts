import { expect, setDefaultTimeout, test } from "bun:test";
import { branchName } from "../../src/core/sessions/worktree-start.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, findSession } from "../helpers/sessions.ts";

// A session made, killed (its branch kept) and made again within the same second would get
// the same branch name: the new one takes the next free suffix instead of failing.

setDefaultTimeout(30_000);

test("made again while a branch of that name and second exists: the next free suffix", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // The branches a create in the next few seconds would want, already there (a kill keeps them).
  const now = Date.now();
  const taken = Array.from({ length: 6 }, (_, s) => branchName("again", new Date(now + s * 1000)));
  for (const branch of taken) await sb.git(repo, ["branch", branch]);
  await createSession(sb, "again", repo);
  const session = await findSession(sb, "again");
  expect(taken.map((branch) => `${branch}-2`)).toContain(session!.branch!);
});
