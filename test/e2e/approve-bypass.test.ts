import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

interface Event {
  kind: string;
  data: { event?: string; by?: string; action?: string; ruleIndex?: number };
}

test("expansions that hide a command behind `git *` wait for a person, and a denial keeps it from running", async () => {
  await using live = await makeLiveSandbox();
  const canary = join(live.sb.paths.root, "canary");
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "git *", action: "allow" }] });
  const attempts = [
    `git status \${y:=\\$(touch ${canary})} \${y@P}`,
    `git status \${y:=a[\\$(touch ${canary})]} \${a[y]}`,
    `git status <<<"\${y:=\\$(touch ${canary})}\${y@P}"`,
    // git runs an alias that starts with ! as a shell command.
    `git -c alias.x='!touch ${canary}' x`,
  ];
  for (const command of attempts) live.fake.reply(bashReply(command));
  live.fake.reply(textReply("gave up"));

  await live.create("sneaky", ["--prompt", "check the status"]);
  for (const [i, command] of attempts.entries()) {
    const waiting = await live.waitForSession("sneaky", `asked for attempt ${i}`, (s) => s.status === "waiting" && s.pending?.[0]?.input.command === command);
    expect(waiting.pending).toHaveLength(1);
    expect(existsSync(canary)).toBe(false);
    expect(await live.sb.csm(["deny", "sneaky"])).toMatchObject({ code: 0 });
  }
  await live.waitForSession("sneaky", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(existsSync(canary)).toBe(false);
  const decisions = (await live.api<Event[]>("GET", "/api/sessions/sneaky/events")).body.filter((e) => e.kind === "decision");
  expect(decisions.map((e) => [e.data.by, e.data.action])).toEqual(attempts.map(() => ["person", "deny"]));
});

test("Claude Code's own commit command is allowed by `git commit *` alone, and the commit lands", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "git commit *", action: "allow" }] });
  const message = "Add the greeting\n\nCo-Authored-By: Claude <noreply@anthropic.com>";
  const worktree = async () => (JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { worktree: string }[])[0]!.worktree;
  // Something staged to commit, as claude would have after `git add`.
  live.fake.reply(async () => {
    await Bun.write(join(await worktree(), "greeting.txt"), "hello\n");
    await live.sb.git(await worktree(), ["add", "greeting.txt"]);
    return bashReply(`git commit -m "$(cat <<'EOF'\n${message}\nEOF\n)"`);
  });
  live.fake.reply(textReply("committed"));

  await live.create("commit", ["--prompt", "commit it"]);
  await live.waitForSession("commit", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(await live.sb.git(await worktree(), ["log", "-1", "--format=%B"])).toBe(message);
  const decisions = (await live.api<Event[]>("GET", "/api/sessions/commit/events")).body.filter((e) => e.kind === "decision");
  expect(decisions).toEqual([expect.objectContaining({ data: expect.objectContaining({ by: "rule", action: "allow", ruleIndex: 0 }) })]);
});
