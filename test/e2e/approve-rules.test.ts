import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

interface Event {
  kind: string;
  data: { event?: string; by?: string; via?: string; action?: string; ruleIndex?: number; message?: string; error?: string };
}

const decisions = async (live: Awaited<ReturnType<typeof makeLiveSandbox>>, name: string) =>
  (await live.api<Event[]>("GET", `/api/sessions/${name}/events`)).body.filter((e) => e.kind === "decision").map((e) => e.data);

test("a rule-allowed touch runs without asking anyone", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "allowed");
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "allow" }] });
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("touched"));

  await live.create("ruled", ["--prompt", "touch it"]);
  const idle = await live.waitForSession("ruled", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("touched");
  expect(existsSync(target)).toBe(true);
  expect(await decisions(live, "ruled")).toEqual([expect.objectContaining({ event: "decision", by: "rule", action: "allow", ruleIndex: 0 })]);
  expect(JSON.parse((await live.sb.csm(["pending", "--json"])).stdout)).toEqual([]);
});

test("a rule-denied touch does not run, and claude is told which rule said no", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "denied");
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "deny" }] });
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply((request) => textReply(`model saw: ${lastToolResultText(request)}`));

  await live.create("nope", ["--prompt", "touch it"]);
  const idle = await live.waitForSession("nope", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(existsSync(target)).toBe(false);
  // The PreToolUse hook denies it before claude would even ask (see approve-deny-hook.test.ts).
  expect(idle.lastMessage).toContain('Denied by csm rule toolApprovalRules[0] (Bash "touch *" → deny)');
  expect(await decisions(live, "nope")).toEqual([expect.objectContaining({ by: "rule", action: "deny", via: "PreToolUse" })]);
});

test("a compound command smuggling a denied part is denied even though its first part is allowed", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "smuggled");
  await live.sb.writeConfig({
    toolApprovalRules: [
      { tool: "Bash", pattern: "git *", action: "allow" },
      { tool: "Bash", pattern: "touch *", action: "deny" },
    ],
  });
  live.fake.reply(bashReply(`git status; touch ${target}`));
  live.fake.reply(textReply("ok"));
  await live.create("smuggle", ["--prompt", "go"]);
  await live.waitForSession("smuggle", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(existsSync(target)).toBe(false);
  expect(await decisions(live, "smuggle")).toEqual([expect.objectContaining({ by: "rule", action: "deny", ruleIndex: 1 })]);
});

test("a broken rule list is never half used: requests wait for a person, and the error is recorded", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "careful");
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "allow" }, { tool: "bash", action: "deny" }] });
  expect(await live.sb.csm(["rules", "list"])).toMatchObject({ code: 78 });
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("ok"));
  await live.create("broken", ["--prompt", "go"]);
  await live.waitForSession("broken", "waiting", (s) => s.status === "waiting");
  const [unusable] = (await live.api<Event[]>("GET", "/api/sessions/broken/events")).body.filter((e) => e.data.event === "rules_unusable");
  expect(unusable!.data.error).toContain('toolApprovalRules[1].tool: tool names are case-sensitive: did you mean "Bash"?');
  expect(existsSync(target)).toBe(false);
});
