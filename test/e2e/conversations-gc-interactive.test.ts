import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { startFakeAnthropic } from "../fixtures/fake-anthropic.ts";
import { startInteractiveSession } from "../helpers/claude-transcripts.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// On claude's own screen, `/clear` starts a new conversation file; a `/compact` with nothing to
// compact adds only its command to it. That file is a husk; the conversation before it is not,
// and neither is anything while the claude that writes it still runs.

setDefaultTimeout(90_000);

test("the file /clear leaves on claude's screen is a husk once claude is gone; the conversation before it is kept", async () => {
  await using sb = await makeSandbox();
  const api = await startFakeAnthropic();
  try {
    const root = join(sb.paths.root, "claude-root");
    const running = await startInteractiveSession({ root, api, aiTitle: false });
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: running.configDir };
    const tmuxEnv = { TMUX_TMPDIR: join(root, "tmux") };
    const type = async (text: string, answer: string) => {
      await sb.run(["tmux", "-L", running.tmuxSocket, "send-keys", "-t", "=claude:", "-l", text], { env: tmuxEnv });
      await sb.waitFor(async () => (await running.screen()).includes(text), { what: `${text} typed` });
      await sb.run(["tmux", "-L", running.tmuxSocket, "send-keys", "-t", "=claude:", "Enter"], { env: tmuxEnv });
      await sb.waitFor(async () => (await running.screen()).includes(answer), { what: `${text} answered` });
    };
    await type("/clear", "/clear");
    // "/clear" was on screen before Enter too: /compact waits until the clear is done, the
    // earlier reply gone from the screen and the prompt box empty again.
    await sb.waitFor(
      async () => {
        const text = await running.screen();
        return !text.includes(running.reply) && text.includes("? for shortcuts");
      },
      { what: "/clear to clear claude's screen" },
    );
    await type("/compact", "Not enough messages to compact");

    const whileRunning = JSON.parse((await sb.csm(["gc", "--json"], { env })).stdout) as unknown[];
    expect(whileRunning).toEqual([]);

    await running.stop();
    const listed = JSON.parse((await sb.csm(["history", "--json"], { env })).stdout) as { id: string; turns: number }[];
    expect(listed).toHaveLength(2);
    const cleared = listed.find((record) => record.id !== running.sessionId)!;
    const plan = JSON.parse((await sb.csm(["gc", "--json"], { env })).stdout) as { id: string; reason: string }[];
    expect(plan).toEqual([expect.objectContaining({ id: cleared.id, reason: "husk: only local commands" })]);
  } finally {
    await api.stop();
  }
});
