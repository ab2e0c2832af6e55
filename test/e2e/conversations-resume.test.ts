import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { lastUserText, textReply } from "../fixtures/fake-anthropic.ts";
import { conversationByHand, makeLiveSandbox, REAL_CLAUDE } from "../helpers/live.ts";

setDefaultTimeout(60_000);

// A conversation started by hand with the real claude (no csm) is found by `csm history`,
// described by `csm info`, and resumed by `csm resume` as a csm session that runs
// `claude --resume` in the conversation's directory and is linked live: the next reply
// arrives through the hub, and claude sent the earlier turn along (it really resumed).
test("history → info → resume a conversation csm did not start; the reply arrives through the hub", async () => {
  await using live = await makeLiveSandbox();
  const dir = await conversationByHand(live, "notes", "remember the word pelican", "Pelicans noted.");

  const listed = await live.sb.csm(["history", "--json"], { env: live.claudeEnv });
  expect(listed.code).toBe(0);
  const records = JSON.parse(listed.stdout) as { id: string; cwd: string; title: string; state: string; turns: number; lastActiveAt: string; sizeBytes: number }[];
  expect(records).toHaveLength(1);
  const [record] = records;
  expect(record).toMatchObject({ cwd: dir, title: "remember the word pelican", state: "transcript", turns: 1, host: "local" });
  expect(record!.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(record!.sizeBytes).toBeGreaterThan(0);

  const info = await live.sb.csm(["info", record!.id.slice(0, 6), "--json"], { env: live.claudeEnv });
  expect(info.code).toBe(0);
  expect(JSON.parse(info.stdout)).toMatchObject({ id: record!.id, firstPrompt: "remember the word pelican", replies: 1, ending: "ended after a reply" });

  live.fake.reply(textReply("You said pelican."));
  const resumed = await live.sb.csm(["resume", record!.id.slice(0, 8), "--name", "birds"], { env: live.claudeEnv });
  expect(resumed.stderr).toBe("");
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toContain("as session birds");
  await live.waitForSession("birds", "linked", (s) => s.linked);
  expect((await live.session("birds")).claudeSessionId).toBe(record!.id);

  const sent = await live.sb.csm(["send", "birds", "which word?"]);
  expect(sent.code).toBe(0);
  // The reply's text arrives before its turn ends: idle follows with the result.
  await live.waitForSession("birds", "the reply through the hub, turn over", (s) => s.lastMessage === "You said pelican." && s.status === "idle");
  const request = live.fake.requests.at(-1)!;
  expect(lastUserText(request)).toContain("which word?");
  expect(JSON.stringify(request.messages)).toContain("remember the word pelican");

  // The hub's indexer picks the new turn up a moment after claude wrote it.
  await live.sb.waitFor(
    async () => {
      const after = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string; state: string; session: string; turns: number }[];
      return after[0]?.turns === 2 ? after[0] : undefined;
    },
    { what: "the resumed conversation's second turn in the index" },
  ).then((after) => expect(after).toMatchObject({ id: record!.id, state: "csm", session: "birds", turns: 2 }));
  // A conversation a csm session runs is not resumed twice.
  const again = await live.sb.csm(["resume", record!.id], { env: live.claudeEnv });
  expect(again.code).toBe(1);
  expect(again.stderr).toContain("running in csm session birds");
  // The session's name names its conversation too.
  expect(JSON.parse((await live.sb.csm(["info", "birds", "--json"], { env: live.claudeEnv })).stdout).id).toBe(record!.id);
});

test("resume refuses a conversation whose directory is gone, naming it; ids are data", async () => {
  await using live = await makeLiveSandbox();
  const dir = await conversationByHand(live, "gone", "hello there", "ok");
  await Bun.$`rm -rf ${dir}`;
  const [record] = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string }[];
  const refused = await live.sb.csm(["resume", record!.id], { env: live.claudeEnv });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`ran in ${dir}, which no longer exists`);
  expect(refused.stderr.trim().split("\n")).toHaveLength(1);

  for (const hostile of ["../../etc/passwd", "'; touch /tmp/x #", "-"]) {
    const result = await live.sb.csm(["info", "--", hostile], { env: live.claudeEnv });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no conversation matches");
  }
});

test("resume --worktree: a conversation whose worktree is gone gets a new one at the same path, on its branch", async () => {
  await using live = await makeLiveSandbox();
  const worktree = join(live.sb.paths.root, "wt-feature");
  await live.sb.run(["git", "-C", live.repo, "worktree", "add", "-b", "feature/login", worktree]);
  live.fake.reply(textReply("Working on login."));
  expect(await Bun.spawn([REAL_CLAUDE, "-p", "start the login work"], { cwd: worktree, env: live.claudeEnv, stdout: "pipe", stderr: "pipe" }).exited).toBe(0);
  await live.sb.run(["git", "-C", live.repo, "worktree", "remove", "--force", worktree]);

  const [record] = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string }[];
  const refused = await live.sb.csm(["resume", record!.id], { env: live.claudeEnv });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("pass --worktree to make a new worktree there on branch feature/login");

  live.fake.reply(textReply("Back on login."));
  const resumed = await live.sb.csm(["resume", record!.id, "--worktree", "--repo", live.repo, "--name", "login"], { env: live.claudeEnv });
  expect(resumed.stderr).toBe("");
  expect(resumed.code).toBe(0);
  const branch = await live.sb.run(["git", "-C", worktree, "branch", "--show-current"]);
  expect(branch.stdout.trim()).toBe("feature/login");
  await live.waitForSession("login", "linked", (s) => s.linked);
  const listed = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { name: string; worktree: string; branch: string; claudeSessionId: string }[];
  expect(listed.find((s) => s.name === "login")).toMatchObject({ worktree, branch: "feature/login", claudeSessionId: record!.id });

  // The worktree is csm's now, the branch is not: kill removes the one and keeps the other.
  expect((await live.sb.csm(["kill", "login", "--force"])).code).toBe(0);
  expect((await live.sb.run(["git", "-C", live.repo, "branch", "--list", "feature/login"])).stdout).toContain("feature/login");

  // The branch deleted too: nothing to make a worktree on, and the error names the directory.
  await live.sb.run(["git", "-C", live.repo, "branch", "-D", "feature/login"]);
  const gone = await live.sb.csm(["resume", record!.id, "--worktree", "--repo", live.repo], { env: live.claudeEnv });
  expect(gone.code).toBe(1);
  expect(gone.stderr).toBe(
    `csm: conversation ${record!.id} ran in ${worktree}, which no longer exists, and its branch is gone too: no branch feature/login in ${live.repo}, locally or on a remote (\`git fetch\` first if it is new)\n`,
  );
});

test("csm last resumes this directory's newest conversation, --any the newest anywhere; a directory with none says so", async () => {
  await using live = await makeLiveSandbox();
  const older = await conversationByHand(live, "older", "the older one", "Older noted.");
  const newer = await conversationByHand(live, "newer", "the newer one", "Newer noted.");
  const empty = join(live.sb.paths.root, "empty");
  mkdirSync(empty);
  const ids = Object.fromEntries(
    (JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string; cwd: string }[]).map((record) => [record.cwd, record.id]),
  );

  const none = await live.sb.csm(["last"], { env: live.claudeEnv, cwd: empty });
  expect(none.code).toBe(1);
  expect(none.stderr).toBe(`csm: no conversation in ${empty} (see \`csm history\`, or \`csm last --any\`)\n`);

  // --any first: a resumed conversation may gain a record, and so become the newest.
  const anywhere = await live.sb.csm(["last", "--any", "--name", "second"], { env: live.claudeEnv, cwd: empty });
  expect(anywhere.stderr).toBe("");
  expect(anywhere.code).toBe(0);
  await live.waitForSession("second", "linked", (s) => s.linked);
  expect((await live.session("second")).claudeSessionId).toBe(ids[newer]);

  const here = await live.sb.csm(["last", "--name", "first"], { env: live.claudeEnv, cwd: older });
  expect(here.stderr).toBe("");
  expect(here.code).toBe(0);
  await live.waitForSession("first", "linked", (s) => s.linked);
  expect((await live.session("first")).claudeSessionId).toBe(ids[older]);
});

test("info tells how a conversation's csm session ended, after the session is gone; a conversation continued by hand since tells its own end", async () => {
  await using live = await makeLiveSandbox();
  const dir = await conversationByHand(live, "ended", "count the ducks", "Three ducks.");
  const [record] = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string }[];
  expect((await live.sb.csm(["resume", record!.id, "--name", "ducks"], { env: live.claudeEnv })).code).toBe(0);
  await live.waitForSession("ducks", "linked", (s) => s.linked);
  const killed = await live.sb.csm(["kill", "ducks", "--force"], { env: live.claudeEnv });
  expect(killed.code).toBe(0);
  const info = JSON.parse((await live.sb.csm(["info", record!.id, "--json"], { env: live.claudeEnv })).stdout) as { state: string; ending: string };
  expect(info.state).toBe("transcript");
  expect(info.ending).toMatch(/^killed by the user \(csm kill\) at 20\S+ \(csm session ducks\)$/);

  // Continued by hand after the kill: the transcript's own end is the truth now.
  live.fake.reply(textReply("Four ducks."));
  const again = Bun.spawn([REAL_CLAUDE, "-p", "--resume", record!.id, "and now?"], { cwd: dir, env: live.claudeEnv, stdout: "pipe", stderr: "pipe" });
  expect(await again.exited).toBe(0);
  // The hub's indexer sees the new turn a moment after claude wrote it.
  await live.sb.waitFor(
    async () => {
      const after = JSON.parse((await live.sb.csm(["info", record!.id, "--json"], { env: live.claudeEnv })).stdout) as { turns: number; ending: string };
      return after.turns === 2 ? after : undefined;
    },
    { what: "the turn made by hand in the index" },
  ).then((after) => expect(after.ending).toBe("ended after a reply"));
});
