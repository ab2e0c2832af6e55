import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { createNative, decisions, DIALOG, pendingList, screen, watchAsking } from "../helpers/native.ts";

// A native session's tool requests meet csm's rules before anyone is asked: an allowed one
// runs without a pending entry or claude's dialog, a denied one never runs.

setDefaultTimeout(60_000);

test("native: an allow rule runs the tool without asking csm's people or claude's screen", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "allow" }] });
  const target = join(live.sb.paths.root, "allowed");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("touched"));

  await createNative(live, "ruled", "touch it");
  const watch = watchAsking(live, "ruled");
  const idle = await live.waitForSession("ruled", "idle after one turn", (s) => s.status === "idle" && s.turns === 1, 30_000);
  const seen = await watch.stop();

  expect(idle.lastMessage).toBe("touched");
  expect(existsSync(target)).toBe(true);
  expect(seen.pendingIds).toEqual([]);
  expect(await screen(live, "ruled")).not.toContain(DIALOG);
  expect(await pendingList(live)).toEqual([]);
  expect(await decisions(live, "ruled")).toEqual([expect.objectContaining({ event: "decision", by: "rule", action: "allow", ruleIndex: 0 })]);
});

// Product bug (reported): PreToolUse passes a rule-allowed call (core/rules/pre-tool-use.ts:
// "allow" → pass), so claude opens its dialog and the allow only lands through the
// PermissionRequest hook, ~150 ms later. Meanwhile a key typed into the pane answers it.
test("native: an allow rule never opens claude's dialog, not even for a moment", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "allow" }] });
  live.fake.reply(bashReply(`touch ${join(live.sb.paths.root, "allowed")}`));
  live.fake.reply(textReply("touched"));

  await createNative(live, "flash", "touch it");
  const watch = watchAsking(live, "flash");
  await live.waitForSession("flash", "idle after one turn", (s) => s.status === "idle" && s.turns === 1, 30_000);
  expect((await watch.stop()).dialogSeen).toBe(false);
});

test("native: a deny rule keeps the tool from running, and claude is told which rule", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), toolApprovalRules: [{ tool: "Bash", pattern: "touch *", action: "deny" }] });
  const target = join(live.sb.paths.root, "denied");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply((request) => textReply(`model saw: ${lastToolResultText(request)}`));

  await createNative(live, "nope", "touch it");
  const watch = watchAsking(live, "nope");
  const idle = await live.waitForSession("nope", "idle after one turn", (s) => s.status === "idle" && s.turns === 1, 30_000);
  const seen = await watch.stop();

  expect(existsSync(target)).toBe(false);
  expect(idle.lastMessage).toContain('Denied by csm rule toolApprovalRules[0] (Bash "touch *" → deny)');
  expect(seen).toEqual({ pendingIds: [], dialogSeen: false });
  expect(await decisions(live, "nope")).toEqual([expect.objectContaining({ by: "rule", action: "deny", via: "PreToolUse", ruleIndex: 0 })]);
});
