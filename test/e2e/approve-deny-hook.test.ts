import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lastToolResultText, textReply, toolUseReply, type MessagesRequest } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { worktreePath } from "../helpers/sessions.ts";

// claude runs the tools it deems read-only (Read, `ls`, `cat`) without asking anyone, so
// only csm's PreToolUse hook can make a deny rule hold for them. Real claude, fake API.

setDefaultTimeout(45_000);

interface Event {
  kind: string;
  data: { event?: string; via?: string; action?: string; ruleIndex?: number; toolName?: string };
}

test("deny rules stop the Read, cat and ls that claude would run on its own, and each denial is an event", async () => {
  await using live = await makeLiveSandbox();
  await mkdir(join(live.repo, "src"), { recursive: true });
  await writeFile(join(live.repo, "src", "secret.txt"), "TOPSECRET\n");
  await live.sb.git(live.repo, ["add", "src/secret.txt"]);
  await live.sb.git(live.repo, ["commit", "-q", "-m", "a secret"]);
  await live.sb.writeConfig({
    toolApprovalRules: [
      { tool: "Read", pattern: "src/secret.txt", action: "deny" },
      { tool: "Bash", pattern: "cat *", action: "deny" },
      { tool: "Bash", pattern: "ls *", action: "deny" },
    ],
  });
  const worktree = worktreePath(live.sb, live.repo, "guarded");
  const seen: string[] = [];
  const saw = (request: MessagesRequest) => void seen.push(lastToolResultText(request) ?? "");
  live.fake.reply(toolUseReply([{ name: "Read", input: { file_path: join(worktree, "src", "secret.txt") } }]));
  live.fake.reply((request) => (saw(request), toolUseReply([{ name: "Bash", input: { command: "cat src/secret.txt", description: "show it" } }])));
  live.fake.reply((request) => (saw(request), toolUseReply([{ name: "Bash", input: { command: "ls -la src", description: "list" } }])));
  live.fake.reply((request) => (saw(request), textReply("done")));

  await live.create("guarded", ["--prompt", "show me the secret"]);
  await live.waitForSession("guarded", "idle after the turn", (s) => s.status === "idle" && s.turns === 1);

  expect(seen).toHaveLength(3);
  expect(seen.join("\n")).not.toContain("TOPSECRET");
  expect(seen[0]).toContain('Denied by csm rule toolApprovalRules[0] (Read "src/secret.txt" → deny)');
  expect(seen[1]).toContain('Denied by csm rule toolApprovalRules[1] (Bash "cat *" → deny)');
  expect(seen[2]).toContain('Denied by csm rule toolApprovalRules[2] (Bash "ls *" → deny)');
  const events = (await live.api<Event[]>("GET", "/api/sessions/guarded/events")).body;
  const decisions = events.filter((e) => e.kind === "decision").map((e) => e.data);
  expect(decisions).toEqual([
    expect.objectContaining({ event: "decision", via: "PreToolUse", action: "deny", toolName: "Read", ruleIndex: 0 }),
    expect.objectContaining({ via: "PreToolUse", action: "deny", toolName: "Bash", ruleIndex: 1 }),
    expect.objectContaining({ via: "PreToolUse", action: "deny", toolName: "Bash", ruleIndex: 2 }),
  ]);
  // Nothing was left for a person: the hook settled it before claude asked anyone.
  expect(JSON.parse((await live.sb.csm(["pending", "--json"])).stdout)).toEqual([]);
});

test("an ask rule puts a read-only command claude would run on its own before a person", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "ls *", action: "ask" }] });
  live.fake.reply(toolUseReply([{ name: "Bash", input: { command: "ls -la", description: "list" } }]));
  live.fake.reply((request) => textReply(`saw: ${lastToolResultText(request)}`));

  await live.create("asked", ["--prompt", "list"]);
  const waiting = await live.waitForSession("asked", "waiting for a person", (s) => s.status === "waiting");
  expect(waiting.pendingApprovals).toBe(1);
  expect((await live.sb.csm(["deny", "asked", "--message", "not now"])).code).toBe(0);
  const idle = await live.waitForSession("asked", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toContain("not now");
});

test("a user's disableAllHooks does not switch csm's deny rules off", async () => {
  await using live = await makeLiveSandbox();
  await writeFile(join(live.claudeEnv.CLAUDE_CONFIG_DIR!, "settings.json"), JSON.stringify({ disableAllHooks: true }));
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "ls *", action: "deny" }] });
  live.fake.reply(toolUseReply([{ name: "Bash", input: { command: "ls -la", description: "list" } }]));
  live.fake.reply((request) => textReply(`saw: ${lastToolResultText(request)}`));
  await live.create("hooksoff", ["--prompt", "list"]);
  const idle = await live.waitForSession("hooksoff", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toContain('Denied by csm rule toolApprovalRules[0] (Bash "ls *" → deny)');
});

test("deny rules hold in a session whose claude accepts edits without asking", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({
    allowSkipPermissions: true,
    claudeArgs: ["--permission-mode", "acceptEdits"],
    toolApprovalRules: [{ tool: "Write", pattern: "blocked.txt", action: "deny" }],
  });
  const worktree = worktreePath(live.sb, live.repo, "eager");
  live.fake.reply(toolUseReply([{ name: "Write", input: { file_path: join(worktree, "blocked.txt"), content: "should not exist\n" } }]));
  live.fake.reply((request) => textReply(`saw: ${lastToolResultText(request)}`));
  await live.create("eager", ["--prompt", "write it"]);
  const idle = await live.waitForSession("eager", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toContain('Denied by csm rule toolApprovalRules[0] (Write "blocked.txt" → deny)');
  expect(await Bun.file(join(worktree, "blocked.txt")).exists()).toBe(false);
  expect((await live.session("eager")) as unknown).toMatchObject({ guarded: false });
});
