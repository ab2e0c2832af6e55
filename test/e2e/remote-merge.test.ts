import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { commitFile } from "../helpers/landing.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

// `csm merge` of a session on another host runs there (over SSH), in that host's repo;
// its flags and their values travel with it as data.
test("merge name@host runs on the host that has the session", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  expect(await sb.csm(["create", "feat", "--host", "devbox"])).toMatchObject({ code: 0 });
  const worktree = join(remote.remoteEnv.XDG_DATA_HOME!, "csm", "worktrees", "remote-app", "feat");
  const commit = await commitFile(sb, worktree, "feature.txt", "work\n", "feat: the feature");
  await commitFile(sb, remote.remoteRepo, "other.txt", "meanwhile\n", "meanwhile on main");

  const merged = await sb.csm(["merge", "feat@devbox", "--message", "Land feat; $(touch x) stays text"]);
  expect(merged).toMatchObject({ code: 0, stderr: "" });
  expect(merged.stdout).toContain("merge commit");
  expect(await sb.git(remote.remoteRepo, ["log", "-1", "--format=%s", "main"])).toBe("Land feat; $(touch x) stays text");
  expect(await sb.git(remote.remoteRepo, ["rev-parse", "main^2"])).toBe(commit);

  const refused = await sb.csm(["merge", "feat", "--into", "../main"]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("not a valid branch name");
});
