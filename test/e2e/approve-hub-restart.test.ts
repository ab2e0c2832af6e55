import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";

// A tool request waits for a person; the hub goes away (an orderly stop, or kill -9) and
// `csm approve` comes after. The request is pending again in the new hub, the answer
// waits for the bridge to relink, and the tool runs exactly once.

setDefaultTimeout(45_000);

interface Event {
  kind: string;
  data: { event?: string; requestId?: string; by?: string; action?: string };
}

async function pendingRequest(live: LiveSandbox, name: string, target: string) {
  live.fake.reply(bashReply(`echo ran >> ${target}`));
  live.fake.reply(textReply("appended"));
  await live.create(name, ["--prompt", "append a line"]);
  const waiting = await live.waitForSession(name, "waiting", (s) => s.status === "waiting");
  expect(waiting.pendingApprovals).toBe(1);
}

async function approveAfterRestart(live: LiveSandbox, name: string, target: string) {
  const listed = JSON.parse((await live.sb.csm(["pending", "--json"])).stdout) as { session: string; requestId: string }[];
  expect(listed).toEqual([expect.objectContaining({ session: name })]);
  const approved = await live.sb.csm(["approve", name]);
  expect(approved).toMatchObject({ code: 0 });
  const idle = await live.waitForSession(name, "idle after the answer", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("appended");
  expect(readFileSync(target, "utf8")).toBe("ran\n");
  const decisions = (await live.api<Event[]>("GET", `/api/sessions/${name}/events`)).body.filter((e) => e.kind === "decision");
  expect(decisions.map((e) => e.data)).toEqual([expect.objectContaining({ requestId: listed[0]!.requestId, by: "person", action: "allow" })]);
  expect(JSON.parse((await live.sb.csm(["pending", "--json"])).stdout)).toEqual([]);
}

test("csm server stop with a request pending, then approve: it is answered once the bridge relinks", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  await pendingRequest(live, "calm", target);
  expect(await live.sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  await approveAfterRestart(live, "calm", target);
});

test("kill -9 of the hub with a request pending, then approve: it is answered once the bridge relinks", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  await pendingRequest(live, "rough", target);
  await live.killHub();
  await approveAfterRestart(live, "rough", target);
});

test("a request no hub decided is decided by the rules when the bridge relinks to a new hub", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "touched");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("touched"));
  await live.create("later", ["--prompt", "touch it"]);
  await live.waitForSession("later", "waiting", (s) => s.status === "waiting");
  expect(await live.sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  // While no hub runs, a rule that settles the request appears.
  expect(await live.sb.csm(["rules", "add", "--tool", "Bash", "--pattern", "touch *", "--action", "allow"])).toMatchObject({ code: 0 });
  expect((await live.sb.csm(["server", "status", "--json"])).code).not.toBe(0);
  await live.sb.csm(["pending"]); // any command that needs the hub starts it
  const idle = await live.waitForSession("later", "idle without a person", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("touched");
  const decisions = (await live.api<Event[]>("GET", "/api/sessions/later/events")).body.filter((e) => e.kind === "decision");
  expect(decisions.map((e) => e.data)).toEqual([expect.objectContaining({ by: "rule", action: "allow" })]);
});

test("two answers to one request at once: one reaches claude, the other is refused, the tool runs once", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  await pendingRequest(live, "twice", target);
  // --always first writes a rule: the slow path, where a second answer could slip in.
  const [first, second] = await Promise.all([live.sb.csm(["approve", "twice", "--always"]), live.sb.csm(["approve", "twice", "--always"])]);
  expect([first!.code, second!.code].sort()).toEqual([0, 1]);
  expect([first!.stderr, second!.stderr].join("")).toMatch(/being answered already|no pending request/);
  await live.waitForSession("twice", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(readFileSync(target, "utf8")).toBe("ran\n");
  const decisions = (await live.api<Event[]>("GET", "/api/sessions/twice/events")).body.filter((e) => e.kind === "decision");
  expect(decisions).toHaveLength(1);
});
