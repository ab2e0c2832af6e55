import { Database } from "bun:sqlite";
import { expect, test, setDefaultTimeout } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { CSM_ENTRY, freePort, makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeInput } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const paneText = async (sb: { tmux(args: string[]): Promise<{ stdout: string }> }, name: string) =>
  (await sb.tmux(["capture-pane", "-p", "-J", "-t", `=csm-${name}:agent`])).stdout;

// The bridge's pane is something a person can use: it shows the conversation, and a line
// typed there is a message to claude.
test("the agent pane shows the conversation, and typing there talks to claude", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("pane reply one"));
  await live.create("pane", ["--prompt", "first from csm"]);
  await live.waitForSession("pane", "idle", (s) => s.status === "idle" && s.turns === 1);
  await live.sb.waitFor(async () => (await paneText(live.sb, "pane")).includes("claude pane reply one"), { what: "the reply in the pane" });
  const screen = await paneText(live.sb, "pane");
  expect(screen).toContain("you first from csm");
  expect(screen).toContain("turn done");

  live.fake.reply(textReply("pane reply two"));
  await live.sb.tmux(["send-keys", "-t", "=csm-pane:agent", "-l", "typed in the pane"]);
  await live.sb.tmux(["send-keys", "-t", "=csm-pane:agent", "Enter"]);
  const after = await live.waitForSession("pane", "the typed turn", (s) => s.turns === 2 && s.status === "idle");
  expect(after.lastMessage).toBe("pane reply two");
  const events = (await live.api<{ kind: string; data: { type?: string; message?: { content?: unknown } } }[]>("GET", "/api/sessions/pane/events")).body;
  expect(events.some((e) => e.kind === "sent" && e.data.message?.content === "typed in the pane")).toBe(true);
});

// Secrets (the agent socket's, the API key) must never show in a process list.
test("no process of a session carries its secret or the API key in its argv", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("hi"));
  await live.create("quiet", ["--prompt", "hello"]);
  await live.waitForSession("quiet", "idle", (s) => s.status === "idle");
  const db = new Database(join(live.sb.paths.stateHome, "csm", "csm.sqlite"), { readonly: true });
  const secret = (db.query("SELECT agent_secret FROM sessions WHERE name = 'quiet'").get() as { agent_secret: string }).agent_secret;
  db.close();
  const apiKey = live.claudeEnv.ANTHROPIC_API_KEY!;
  let seen = 0;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmdline.includes(live.sb.paths.root) || cmdline.includes("csm-quiet") || cmdline.includes("bridge\0quiet")) seen += 1;
    expect(cmdline.includes(secret)).toBe(false);
    expect(cmdline.includes(apiKey)).toBe(false);
  }
  expect(seen).toBeGreaterThan(0);
});

// Not linked: a live bridge the hub does not link (here its secret no longer matches, as
// with a hub of another csm) still reads its pane, so `csm send` types the text there as
// one line; an sdk-url claude that cannot reach the hub (it came back on another port)
// reads only its socket, so typing would reach no one and send says so.
test("send types into a live bridge's pane when it is not linked, and refuses where no one would read it", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "adrift", repo);
  await createSession(sb, "old", repo, ["--transport", "sdk-url"]);
  expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  const db = new Database(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  db.query("UPDATE sessions SET agent_secret = ? WHERE name = 'adrift'").run("f".repeat(64));
  db.close();
  const otherPort = freePort();
  const hub = Bun.spawn(["bun", CSM_ENTRY, "server", "--port", String(otherPort)], { env: sb.env, stdout: "pipe", stderr: "inherit" });
  try {
    await hub.stdout.getReader().read();
    const result = await sb.csm(["send", "adrift", "typed $(not run) by csm"]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("typed into adrift's agent window (not linked)");
    const launch = await waitForClaudeInput(sb);
    expect(launch.stdin[0]).toMatchObject({ type: "user", message: { content: "typed $(not run) by csm" } });

    const refused = await sb.csm(["send", "old", "hello"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("old is not linked to the hub, and its claude does not read its pane");
  } finally {
    hub.kill();
    await hub.exited;
  }
});
