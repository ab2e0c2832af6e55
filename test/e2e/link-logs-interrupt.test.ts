import { expect, test, setDefaultTimeout } from "bun:test";
import { slowTextReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("csm logs prints the conversation; --json gives every stored event with its seq", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("logged reply"));
  await live.create("chatty", ["--prompt", "log this"]);
  await live.waitForSession("chatty", "idle", (s) => s.status === "idle" && s.turns === 1);

  const text = await live.sb.csm(["logs", "chatty"]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain("you log this");
  expect(text.stdout).toContain("claude logged reply");
  expect(text.stdout).toContain("turn done");

  const json = (await live.sb.csm(["logs", "chatty", "--json"])).stdout.trim().split("\n").map((line) => JSON.parse(line) as { seq: number; kind: string });
  expect(json.every((e, i) => i === 0 || e.seq > json[i - 1]!.seq)).toBe(true);
  expect(new Set(json.map((e) => e.seq)).size).toBe(json.length);
  expect(new Set(json.map((e) => e.kind))).toEqual(new Set(["link", "sent", "claude"]));
});

test("csm logs --follow continues live from where the log ended", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("first"));
  await live.create("follow", ["--prompt", "one"]);
  await live.waitForSession("follow", "idle", (s) => s.status === "idle");

  const follower = Bun.spawn(["bun", `${import.meta.dir}/../../bin/csm`, "logs", "follow", "--follow", "--json"], { env: live.sb.env, stdout: "pipe" });
  let output = "";
  const reading = (async () => {
    for await (const chunk of follower.stdout) output += new TextDecoder().decode(chunk);
  })();
  try {
    await live.sb.waitFor(() => output.includes('"first"'), { what: "the backlog" });
    live.fake.reply(textReply("second"));
    await live.sb.csm(["send", "follow", "two"]);
    await live.sb.waitFor(() => output.includes('"second"') && output.includes('"result"') && output.split('"type":"result"').length === 3, { what: "the live turn", timeoutMs: 15_000 });
    const seqs = output.trim().split("\n").map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
  } finally {
    follower.kill();
    await reading;
  }
});

test("csm interrupt stops a turn in progress", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(slowTextReply("this would take a long long long long long long time to finish", 300, 2));
  await live.create("stopme", ["--prompt", "go slowly"]);
  await live.waitForSession("stopme", "working", (s) => s.status === "working");
  await live.fake.waitForRequests(1);
  expect(await live.sb.csm(["interrupt", "stopme"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("stopme", "idle after the interrupt", (s) => s.status === "idle" && s.turns === 1, 10_000);
  expect(idle.statusReason).toContain("aborted");
});
