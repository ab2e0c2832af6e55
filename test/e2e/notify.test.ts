import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Notifications from the real hub, for the real claude's requests: a local HTTP server
// stands in for the webhook, a small script for the notify command.

setDefaultTimeout(90_000);

/** A webhook receiver: every POST's path and JSON body; `hang` never answers. */
function receiver(options: { hang?: boolean } = {}) {
  const posts: { path: string; body: Record<string, unknown> }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      posts.push({ path: new URL(request.url).pathname, body: (await request.json()) as Record<string, unknown> });
      if (options.hang) return new Promise<Response>(() => undefined);
      return new Response("ok");
    },
  });
  return { posts, url: `http://127.0.0.1:${server.port}`, [Symbol.dispose]: () => void server.stop(true) };
}

/** argv of a script that appends its stdin to `out`. */
function appendingCommand(live: LiveSandbox, out: string): string[] {
  const script = join(live.sb.paths.root, "notify-me.sh");
  writeFileSync(script, 'cat >> "$1"\n');
  return ["sh", script, out];
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : []);
const hubLog = (live: LiveSandbox) => readFileSync(join(live.sb.paths.stateHome, "csm", "hub.log"), "utf8");

async function answerAndWait(live: LiveSandbox, name: string, turns: number) {
  expect(await live.sb.csm(["approve", name])).toMatchObject({ code: 0 });
  await live.waitForSession(name, `turn ${turns} over`, (s) => s.status === "idle" && s.turns === turns);
}

test("ntfy webhook and command: one message per wait; none while muted", async () => {
  await using live = await makeLiveSandbox();
  using hook = receiver();
  const out = join(live.sb.paths.root, "notified.ndjson");
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), notify: { command: appendingCommand(live, out), webhook: { url: `${hook.url}/csm-alerts`, format: "ntfy" } } });
  const touch = (file: string) => `touch ${join(live.sb.paths.root, file)}`;
  for (const [file, reply] of [["a", "one"], ["b", "two"], ["c", "three"]]) {
    live.fake.reply(bashReply(touch(file!)));
    live.fake.reply(textReply(reply!));
  }

  await live.create("ask", ["--prompt", "touch a"]);
  await live.waitForSession("ask", "waiting", (s) => s.status === "waiting");
  await live.sb.waitFor(() => hook.posts.length === 1 && lines(out).length === 1, { what: "the first notification" });
  await answerAndWait(live, "ask", 1);

  expect(await live.sb.csm(["mute", "ask"])).toMatchObject({ code: 0, stdout: expect.stringContaining("muted ask") });
  const listed = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { name: string; muted: boolean }[];
  expect(listed.find((s) => s.name === "ask")?.muted).toBe(true);
  expect(await live.sb.csm(["send", "ask", "touch b"])).toMatchObject({ code: 0 });
  await live.waitForSession("ask", "waiting while muted", (s) => s.status === "waiting");
  await answerAndWait(live, "ask", 2);

  expect(await live.sb.csm(["unmute", "ask"])).toMatchObject({ code: 0 });
  expect(await live.sb.csm(["send", "ask", "touch c"])).toMatchObject({ code: 0 });
  await live.waitForSession("ask", "waiting again", (s) => s.status === "waiting");
  await live.sb.waitFor(() => hook.posts.length === 2 && lines(out).length === 2, { what: "the notification after unmute" });
  await answerAndWait(live, "ask", 3);

  // The muted wait would have come between the two: exactly a and c, nothing for b.
  expect(hook.posts).toEqual(
    ["a", "c"].map((file) => ({
      path: "/",
      body: { topic: "csm-alerts", title: "csm: ask is waiting for you", message: `Bash: ${touch(file)}`, tags: ["bell"], priority: 4 },
    })),
  );
  expect(lines(out)).toEqual(
    ["a", "c"].map((file) => expect.objectContaining({ kind: "waiting", session: "ask", host: "local", status: "waiting", pendingApprovals: 1, message: `Bash: ${touch(file)}` })),
  );
});

test("slack webhook with turn-ended; a notify command that does not exist is logged", async () => {
  await using live = await makeLiveSandbox();
  using hook = receiver();
  await live.sb.writeConfig({
    apiPort: Number(live.sb.env.CSM_PORT),
    notify: { on: ["waiting", "turn-ended"], command: ["csm-no-such-notifier", "--json"], webhook: { url: `${hook.url}/services/T/B/X`, format: "slack" } },
  });
  const target = join(live.sb.paths.root, "s");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("all <done> & dusted"));

  await live.create("sl", ["--prompt", "touch it"]);
  await live.waitForSession("sl", "waiting", (s) => s.status === "waiting");
  await live.sb.waitFor(() => hook.posts.length === 1, { what: "the waiting message" });
  await answerAndWait(live, "sl", 1);
  await live.sb.waitFor(() => hook.posts.length === 2, { what: "the turn-ended message" });
  expect(hook.posts).toEqual([
    { path: "/services/T/B/X", body: { text: `*csm: sl is waiting for you*\nBash: touch ${target}` } },
    { path: "/services/T/B/X", body: { text: "*csm: sl finished its turn*\nall &lt;done&gt; &amp; dusted" } },
  ]);
  await live.sb.waitFor(() => hubLog(live).includes('notify command "csm-no-such-notifier" for sl (waiting) failed: cannot run csm-no-such-notifier: not found'), {
    what: "the missing command in the hub's log",
  });
  expect((await live.sb.csm(["list", "--json"])).code).toBe(0);
});

test("a webhook that never answers is abandoned after 5 s; the hub and the session go on meanwhile", async () => {
  await using live = await makeLiveSandbox();
  using hook = receiver({ hang: true });
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), notify: { webhook: { url: `${hook.url}/hook` } } });
  live.fake.reply(bashReply(`touch ${join(live.sb.paths.root, "h")}`));
  live.fake.reply(textReply("done"));

  await live.create("hang", ["--prompt", "touch it"]);
  await live.waitForSession("hang", "waiting", (s) => s.status === "waiting");
  await live.sb.waitFor(() => hook.posts.length === 1, { what: "the webhook to be called" });
  expect(hook.posts[0]!.body).toMatchObject({ kind: "waiting", session: "hang" });
  // While the webhook hangs: the API answers, the request is answered, the turn ends.
  expect(await live.sb.csm(["pending", "--json"])).toMatchObject({ code: 0 });
  await answerAndWait(live, "hang", 1);
  expect(hubLog(live)).not.toContain("abandoned");
  await live.sb.waitFor(() => hubLog(live).includes("notify webhook") && hubLog(live).includes("no answer within 5 s; abandoned"), { what: "the abandoned webhook in the log", timeoutMs: 30_000 });
  expect((await live.api("GET", "/api/sessions")).status).toBe(200);
});

test("status-line: the counts while a hub runs; nothing without one", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(bashReply(`touch ${join(live.sb.paths.root, "st")}`));
  live.fake.reply(textReply("done"));
  await live.create("st", ["--prompt", "touch it"]);
  await live.waitForSession("st", "waiting", (s) => s.status === "waiting");
  const line = async () => (await live.sb.csm(["status-line"])).stdout;
  await live.sb.waitFor(async () => (await line()) === "◆1 waiting\n", { what: "status-line: one waiting" });
  await answerAndWait(live, "st", 1);
  await live.sb.waitFor(async () => (await line()) === "○1 idle\n", { what: "status-line: one idle" });

  expect(await live.sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  expect(await live.sb.csm(["status-line"])).toMatchObject({ code: 0, stdout: "", stderr: "" });

  await using bare = await makeSandbox();
  expect(await bare.csm(["status-line"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
});
