import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { textReply, toolUseReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

const write = (file_path: string) => toolUseReply([{ name: "Write", input: { file_path, content: "written by claude\n" } }]);

test("a committed symlink out of the worktree does not let a src/** allow write outside it", async () => {
  await using live = await makeLiveSandbox();
  const outside = join(live.sb.paths.root, "outside");
  mkdirSync(outside);
  mkdirSync(join(live.repo, "src"));
  writeFileSync(join(live.repo, "src", "keep.txt"), "");
  symlinkSync(outside, join(live.repo, "src", "out"));
  await live.sb.git(live.repo, ["add", "src"]);
  await live.sb.git(live.repo, ["commit", "-q", "-m", "a link out of the tree"]);
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Write", pattern: "src/**", action: "allow" }] });

  const worktree = worktreePath(live.sb, live.repo, "linked");
  // First a write the rule does allow, so the wait below is the link's doing, not the rule's.
  live.fake.reply(write(join(worktree, "src", "ok.txt")));
  live.fake.reply(write(join(worktree, "src", "out", "pwned.txt")));
  live.fake.reply(textReply("done"));
  await live.create("linked", ["--prompt", "write both"]);

  // A request a rule settles is "waiting" for a moment too: the wait that counts comes after ok.txt.
  const waiting = await live.waitForSession("linked", "waiting after the allowed write, or done", (s) => (s.status === "waiting" && existsSync(join(worktree, "src", "ok.txt"))) || s.turns > 0);
  expect(waiting.status).toBe("waiting");
  expect(existsSync(join(worktree, "src", "ok.txt"))).toBe(true);
  expect(waiting.pendingApprovals).toBe(1);
  const detail = await live.session("linked");
  expect(detail.pending).toEqual([expect.objectContaining({ toolName: "Write", input: expect.objectContaining({ file_path: join(worktree, "src", "out", "pwned.txt") }) })]);
  expect(existsSync(join(outside, "pwned.txt"))).toBe(false);
});
