import { expect, setDefaultTimeout, test } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";

setDefaultTimeout(90_000);

// e in a linked session's view names its conversation: the real claude writes the title
// record itself, and `csm history` shows it.
test("e in a session's view renames its conversation; the title lands in csm history", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("ready"));
  await live.create("namer", ["--prompt", "get ready"]);
  // A linked session is renamed by its claude at once, whether or not the hub's indexer has
  // seen its transcript yet.
  const idle = await live.waitForSession("namer", "idle", (s) => s.status === "idle" && s.turns === 1);

  const tui = await startTui(live.sb, { width: 120, height: 30, env: live.claudeEnv });
  await tui.waitFor("namer", "the session in the list");
  await tui.keys("Enter");
  await tui.waitFor(/e rename/, "the session view with its rename key");
  await tui.keys("e");
  await tui.waitFor("Rename namer's conversation", "the rename prompt");
  await tui.type("quiet heron survey");
  await tui.keys("Enter");
  await tui.waitFor(`renamed namer's conversation to "quiet heron survey"`, "the notice");

  await live.sb.waitFor(
    async () => {
      const records = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { id: string; title: string }[];
      return records.find((record) => record.id === idle.claudeSessionId)?.title === "quiet heron survey";
    },
    { what: "the title in csm history", timeoutMs: 15_000 },
  );
  await tui.keys("q");
});
