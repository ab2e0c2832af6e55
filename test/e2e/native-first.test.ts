import { expect, test, setDefaultTimeout } from "bun:test";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

setDefaultTimeout(60_000);

test("native: first prompt, reply, idle", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("hello there"));
  await live.create("nat", ["--mode", "native", "--prompt", "say hi"]);
  try {
    const idle = await live.waitForSession("nat", "idle after one turn", (s) => s.status === "idle" && s.turns === 1, 30_000);
    expect(idle).toMatchObject({ lastMessage: "hello there", mode: "native" });
  } finally {
    const pane = await live.sb.run(["tmux", "-L", live.sb.env.CSM_TMUX_SOCKET!, "capture-pane", "-p", "-t", "=csm-nat:agent"]);
    console.log(pane.stdout);
  }
});
