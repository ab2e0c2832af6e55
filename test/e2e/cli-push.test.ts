import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { commitFile, sessionWithCommit } from "../helpers/landing.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { startSshd } from "../helpers/sshd.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

// `csm push` publishes a session's branch with upstream set; a refused push says why in
// one line and exits 1.

test("push sends the branch to origin and sets its upstream; kill then calls nothing unpushed", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  const { worktree, branch, commit } = await sessionWithCommit(sb, repo, "pub");

  const pushed = await sb.csm(["push", "pub"]);
  expect(pushed).toMatchObject({ code: 0, stderr: "" });
  expect(pushed.stdout).toContain(`pushed ${branch}`);
  expect(await sb.git(join(sb.paths.root, "remotes", "app.git"), ["rev-parse", `refs/heads/${branch}`])).toBe(commit);
  expect(await sb.git(worktree, ["rev-parse", "--abbrev-ref", "@{upstream}"])).toBe(`origin/${branch}`);
  expect(await sb.csm(["kill", "pub", "--delete-branch"])).toMatchObject({ code: 0 });
});

test("a push the remote's branch has moved past is refused as non-fast-forward, in one line", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  const { worktree, branch } = await sessionWithCommit(sb, repo, "behind");
  expect(await sb.csm(["push", "behind"])).toMatchObject({ code: 0 });
  // Someone else pushes to the same branch from another clone.
  const other = join(sb.paths.root, "other");
  await sb.git(sb.paths.root, ["clone", "-q", "-b", branch, join(sb.paths.root, "remotes", "app.git"), other]);
  await sb.git(other, ["config", "user.email", "other@example.invalid"]);
  await sb.git(other, ["config", "user.name", "other"]);
  await commitFile(sb, other, "theirs.txt", "theirs\n", "their work");
  await sb.git(other, ["push", "-q", "origin", branch]);
  await commitFile(sb, worktree, "ours.txt", "ours\n", "our work");

  const refused = await sb.csm(["push", "behind"]);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe("");
  expect(refused.stderr.trim().split("\n")).toHaveLength(1);
  expect(refused.stderr).toContain("non-fast-forward");
});

test("a remote the repository does not have is named, with the ones it has", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app", { remote: true });
  await sessionWithCommit(sb, repo, "where");

  const refused = await sb.csm(["push", "where", "--remote", "upstream"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(`csm: cannot push ${await sb.git(repo, ["for-each-ref", "--format=%(refname:short)", "refs/heads/csm/"])}: ${repo} has no remote named "upstream" (its remotes: origin)\n`);
  expect((await sb.csm(["push", "where", "--remote", "--upload-pack=touch x"])).code).toBe(2);
});

test("push over ssh, with the key and known_hosts the environment gives git", async () => {
  await using sb = await makeSandbox();
  await using sshd = await startSshd();
  const repo = await sb.makeRepo("app");
  const bare = join(sb.paths.root, "served", "app.git");
  await sb.run(["mkdir", "-p", bare]);
  await sb.git(bare, ["init", "-q", "--bare", "-b", "main"]);
  await sb.git(repo, ["remote", "add", "origin", `ssh://${sshd.user}@127.0.0.1:${sshd.port}${bare}`]);
  const { worktree, branch, commit } = await sessionWithCommit(sb, repo, "remote");
  const ssh = `ssh -i ${sshd.identityFile} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${sshd.knownHostsPath}`;

  const pushed = await sb.csm(["push", "remote"], { env: { GIT_SSH_COMMAND: ssh } });
  expect(pushed).toMatchObject({ code: 0, stderr: "" });
  expect(await sb.git(bare, ["rev-parse", `refs/heads/${branch}`])).toBe(commit);
  expect(await sb.git(worktree, ["rev-parse", "--abbrev-ref", "@{upstream}"])).toBe(`origin/${branch}`);

  // A key the server does not know: an authentication failure, said so.
  const stranger = join(sb.paths.root, "stranger");
  await sb.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger]);
  await commitFile(sb, worktree, "more.txt", "more\n", "more work");
  const denied = await sb.csm(["push", "remote"], { env: { GIT_SSH_COMMAND: ssh.replace(sshd.identityFile, stranger) } });
  expect(denied.code).toBe(1);
  expect(denied.stderr).toContain("authentication or permission");
  expect(denied.stderr.trim().split("\n")).toHaveLength(1);
});
