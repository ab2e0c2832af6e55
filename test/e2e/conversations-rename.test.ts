import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { CLAUDE_BIN, startInteractiveSession } from "../helpers/claude-transcripts.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// `csm rename`: the title claude's own /rename writes. A conversation no claude holds gets the
// record appended, and claude's `--resume` picker shows it; a linked csm session's claude is
// asked to write it itself; a claude outside csm holding the file is left alone.

setDefaultTimeout(120_000);

test("a conversation no claude holds is named by csm, and claude's --resume picker shows the name", async () => {
  await using sb = await makeSandbox();
  const api = await startFakeAnthropic();
  try {
    const root = join(sb.paths.root, "claude-root");
    const running = await startInteractiveSession({ root, api, aiTitle: false });
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: running.configDir };

    const refused = await sb.csm(["rename", running.sessionId, "too early"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("open in a claude outside csm");
    await running.stop();

    for (const hostile of ["a\x1b]0;pwned\x07b", "two\nlines", " "]) {
      const bad = await sb.csm(["rename", running.sessionId, hostile], { env });
      expect(bad.code).toBe(2);
    }
    const renamed = await sb.csm(["rename", running.sessionId.slice(0, 8), "zebra crossing title"], { env });
    expect(renamed.stderr).toBe("");
    expect(renamed.stdout).toBe(`renamed ${running.sessionId} to "zebra crossing title"\n`);
    const last = readFileSync(running.transcriptPath, "utf8").trimEnd().split("\n").at(-1)!;
    expect(JSON.parse(last)).toEqual({ type: "custom-title", customTitle: "zebra crossing title", sessionId: running.sessionId });
    const [record] = JSON.parse((await sb.csm(["history", "--json"], { env })).stdout) as { title: string }[];
    expect(record!.title).toBe("zebra crossing title");

    // claude's own picker, on its own screen in a private tmux server.
    const socket = sb.extraSocket("picker");
    const claudeEnv = { ...prepareClaudeEnv({ root, apiUrl: api.url, projectDir: running.cwd }), TERM: "xterm-256color" };
    const envArgs = Object.entries(claudeEnv).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
    await sb.run(["tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "30", "-c", running.cwd, ...envArgs, CLAUDE_BIN, "--resume"], { env: { TMUX_TMPDIR: sb.paths.tmuxTmpdir } });
    await sb.waitFor(
      async () => (await sb.run(["tmux", "-L", socket, "capture-pane", "-p"], { env: { TMUX_TMPDIR: sb.paths.tmuxTmpdir } })).stdout.includes("zebra crossing title"),
      { what: "the title in claude's --resume picker", timeoutMs: 20_000 },
    );
  } finally {
    await api.stop();
  }
});

test("a linked csm session's claude writes the title itself", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("ready"));
  await live.create("namer", ["--prompt", "get ready"]);
  const idle = await live.waitForSession("namer", "idle after the reply", (s) => s.status === "idle" && s.turns === 1);
  const renamed = await live.sb.csm(["rename", "namer", "heron survey", "--json"], { env: live.claudeEnv });
  expect(renamed.stderr).toBe("");
  expect(JSON.parse(renamed.stdout)).toMatchObject({ id: idle.claudeSessionId, title: "heron survey", by: "claude" });
  await live.sb.waitFor(
    async () => {
      const [record] = JSON.parse((await live.sb.csm(["history", "--json"], { env: live.claudeEnv })).stdout) as { title: string }[];
      return record?.title === "heron survey";
    },
    { what: "claude's own title record in the index", timeoutMs: 15_000 },
  );
  // The hub's indexer sees the title and `csm list` (and the dashboard's views) show it.
  await live.sb.waitFor(
    async () => {
      const [session] = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { title?: string }[];
      return session?.title === "heron survey";
    },
    { what: "the title in csm list", timeoutMs: 15_000 },
  );
  const table = (await live.sb.csm(["list"])).stdout.split("\n");
  expect(table[0]).toStartWith("NAME   TITLE");
  expect(table[1]).toStartWith("namer  heron survey");
});

test("csm never writes a running session's transcript beside its claude: with the hub restarted, claude renames it once relinked, or the rename is refused", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("ready"));
  await live.create("egrets", ["--prompt", "get ready"]);
  await live.waitForSession("egrets", "idle after the reply", (s) => s.status === "idle" && s.turns === 1);
  expect((await live.sb.csm(["server", "stop"])).code).toBe(0);

  const renamed = await live.sb.csm(["rename", "egrets", "egret survey", "--json"], { env: live.claudeEnv });
  if (renamed.code === 0) expect(JSON.parse(renamed.stdout)).toMatchObject({ by: "claude" });
  else expect(renamed.stderr).toContain("running but not linked to the hub right now");
});
