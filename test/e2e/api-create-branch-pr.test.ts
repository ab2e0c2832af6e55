import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { gitWorktrees, hasTmuxSession, worktreePath } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// POST /api/sessions takes what `csm create --branch/--pr/--remote` takes, with the same
// refusals; an error names the body's field, not a flag.

const post = (body: object) => ({ method: "POST", body: JSON.stringify(body) });

test("the API creates on an existing branch and on a pull request fetched from a remote", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.git(repo, ["branch", "feature/x"]);
  await sb.git(repo, ["remote", "add", "forge", join(sb.paths.root, "remotes", "app.git")]);
  await sb.git(repo, ["commit", "-q", "--allow-empty", "-m", "a contribution"]);
  const head = await sb.git(repo, ["rev-parse", "HEAD"]);
  await sb.git(repo, ["push", "-q", "forge", "HEAD:refs/pull/7/head"]);
  await sb.git(repo, ["reset", "-q", "--hard", "HEAD~1"]);
  await using hub = await startTestHub(sb);

  const onBranch = await hub.fetch("/api/sessions", post({ name: "api", repo, branch: "feature/x" }));
  expect(onBranch.status).toBe(201);
  expect(await onBranch.json()).toMatchObject({ name: "api", branch: "feature/x" });
  expect(await sb.git(worktreePath(sb, repo, "api"), ["symbolic-ref", "--short", "HEAD"])).toBe("feature/x");

  const fromPr = await hub.fetch("/api/sessions", post({ name: "pr-7", repo, pr: 7, remote: "forge" }));
  expect(fromPr.status).toBe(201);
  expect(await fromPr.json()).toMatchObject({ name: "pr-7", branch: "pr/7" });
  expect(await sb.git(worktreePath(sb, repo, "pr-7"), ["rev-parse", "HEAD"])).toBe(head);
});

test("a bad pr, or branch with base or pr, is a 400 naming the field, and nothing is made", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sb.git(repo, ["branch", "feature/x"]);
  await using hub = await startTestHub(sb);

  const refusals: [object, string][] = [
    [{ pr: 0 }, "pr"],
    [{ pr: "7" }, "pr"],
    [{ pr: 1.5 }, "pr"],
    [{ pr: 1e12 }, "pr"],
    [{ branch: "feature/x", base: "main" }, "branch"],
    [{ branch: "feature/x", pr: 7 }, "branch"],
    [{ remote: "origin" }, "remote"],
    [{ branch: "$(touch x)" }, "branch"],
  ];
  for (const [fields, field] of refusals) {
    const reply = await hub.fetch("/api/sessions", post({ name: "bad", repo, ...fields }));
    expect(reply.status).toBe(400);
    const { error } = (await reply.json()) as { error: { message: string; data: { field: string } } };
    expect(error.data.field).toBe(field);
    // A flag is named only where git's own option is meant (`git check-ref-format --branch`).
    expect(error.message).not.toMatch(/--(base|branch|pr|remote)[ ,]/);
  }
  expect(await gitWorktrees(sb, repo)).toEqual([repo]);
  expect(await hasTmuxSession(sb, "bad")).toBe(false);
});
