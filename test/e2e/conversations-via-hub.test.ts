import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { prepareClaudeEnv, textReply } from "../fixtures/fake-anthropic.ts";
import { conversationByHand, makeLiveSandbox, REAL_CLAUDE } from "../helpers/live.ts";

// While a hub runs, `csm search` and `csm history` are one request to it (its index is warm);
// a command for another claude config dir than the hub indexes answers for itself.

setDefaultTimeout(60_000);

test("search and history go through the hub for its own claude config dir, and not for another", async () => {
  await using live = await makeLiveSandbox();
  await conversationByHand(live, "notes", "remember the osprey", "Noted the osprey.");
  expect((await live.sb.csm(["server", "start"], { env: live.claudeEnv })).code).toBe(0);
  // The hub answers only once its indexer has been through the transcripts.
  const viaHub = await live.sb.waitFor(
    async () => {
      const result = await live.sb.csm(["search", "osprey", "--json"], { env: live.claudeEnv });
      return result.code === 0 ? (JSON.parse(result.stdout) as { title: string }[]) : undefined;
    },
    { what: "the hub's answer" },
  );
  expect(viaHub.map((hit) => hit.title)).toEqual(["remember the osprey"]);
  // Proof that the hub answered: this command could not open an index of its own.
  const noCache = { ...live.claudeEnv, XDG_CACHE_HOME: "/dev/null/no-cache" };
  const history = await live.sb.csm(["history", "--json"], { env: noCache });
  expect(history.stderr).toBe("");
  expect((JSON.parse(history.stdout) as { title: string }[]).map((r) => r.title)).toEqual(["remember the osprey"]);
  expect((await live.sb.csm(["search", "osprey", "--json"], { env: noCache })).code).toBe(0);
  // Without the hub the same command fails on its own index: it really went through the hub above.
  expect((await live.sb.csm(["history", "--stats"], { env: noCache })).code).not.toBe(0);

  // Another claude config dir: the hub's index is not its index.
  const otherRoot = join(live.sb.paths.root, "other");
  const otherDir = join(otherRoot, "work");
  mkdirSync(otherDir, { recursive: true });
  const otherEnv = { ...live.claudeEnv, ...prepareClaudeEnv({ root: otherRoot, apiUrl: live.fake.url, projectDir: otherDir }) };
  delete (otherEnv as Record<string, string>).HOME;
  live.fake.reply(textReply("Heron it is."));
  expect(await Bun.spawn([REAL_CLAUDE, "-p", "remember the heron"], { cwd: otherDir, env: { ...otherEnv, HOME: join(otherRoot, "home") }, stdout: "pipe", stderr: "pipe" }).exited).toBe(0);
  const other = await live.sb.csm(["search", "heron", "--json"], { env: otherEnv });
  expect(other.code).toBe(0);
  expect((JSON.parse(other.stdout) as { title: string }[]).map((hit) => hit.title)).toEqual(["remember the heron"]);
  expect((await live.sb.csm(["search", "osprey", "--json"], { env: otherEnv })).code).toBe(1);
});
