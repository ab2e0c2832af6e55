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

test("the plain `csm search WORDS` through a hub prints what the command prints, made printable, without loading csm", async () => {
  await using live = await makeLiveSandbox();
  await conversationByHand(live, "notes", "remember the \u001b]0;pwned\u0007 kestrel", "Noted the kestrel.");
  expect((await live.sb.csm(["server", "start"], { env: live.claudeEnv })).code).toBe(0);
  await live.sb.waitFor(async () => (await live.sb.csm(["search", "kestrel", "--json"], { env: live.claudeEnv })).code === 0, { what: "the hub's answer" });

  const plain = await live.sb.csm(["search", "kestrel"], { env: live.claudeEnv });
  const flagged = await live.sb.csm(["search", "kestrel", "--limit", "20"], { env: live.claudeEnv });
  expect(plain).toMatchObject({ code: 0, stderr: "" });
  expect(plain.stdout).toBe(flagged.stdout);
  expect(plain.stdout).toContain("[kestrel]");
  expect(plain.stdout).toContain("␛]0;pwned␇");
  expect(plain.stdout).not.toContain("\u001b");
  expect(await live.sb.csm(["search", "nothingcalledthis"], { env: live.claudeEnv })).toMatchObject({ code: 1, stdout: "no conversation matches\n" });

  // The plain form needs neither the config nor a module of csm: with a broken config only
  // the hub could have answered it, while the flagged form (csm's own path) reports the config.
  await live.sb.writeConfig("{ broken");
  expect(await live.sb.csm(["search", "kestrel"], { env: live.claudeEnv })).toMatchObject({ code: 0, stdout: plain.stdout });
  expect((await live.sb.csm(["search", "kestrel", "--limit", "20"], { env: live.claudeEnv })).code).not.toBe(0);
});
