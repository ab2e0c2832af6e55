import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "./sandbox.ts";
import { createSession, worktreePath } from "./sessions.ts";

// Git states for the merge and push scenarios: commits on either side, and a fingerprint
// of a repository that shows whether anything at all changed.

/** Writes `file` in `dir` and commits it; returns the new commit. */
export async function commitFile(sb: Sandbox, dir: string, file: string, content: string, message: string): Promise<string> {
  await writeFile(join(dir, file), content);
  await sb.git(dir, ["add", "--", file]);
  await sb.git(dir, ["commit", "-q", "-m", message]);
  return sb.git(dir, ["rev-parse", "HEAD"]);
}

/** A session on a fresh repo with one commit of its own; returns its worktree and branch. */
export async function sessionWithCommit(sb: Sandbox, repo: string, name: string, file = "feature.txt"): Promise<{ worktree: string; branch: string; commit: string }> {
  await createSession(sb, name, repo);
  const worktree = worktreePath(sb, repo, name);
  const commit = await commitFile(sb, worktree, file, `${name}'s work\n`, `${name}: add ${file}`);
  return { worktree, branch: await sb.git(worktree, ["rev-parse", "--abbrev-ref", "HEAD"]), commit };
}

/**
 * Everything a merge could have touched: the branch heads, and for each checkout its HEAD,
 * status, index (as a tree) and working tree changes.
 */
export async function fingerprint(sb: Sandbox, checkouts: string[], branches: string[]): Promise<string[]> {
  const parts: string[] = [];
  for (const branch of branches) parts.push(`${branch}=${await sb.git(checkouts[0]!, ["rev-parse", `refs/heads/${branch}`])}`);
  for (const dir of checkouts) {
    parts.push(
      `${dir} HEAD=${await sb.git(dir, ["rev-parse", "HEAD"])} on=${await sb.git(dir, ["rev-parse", "--abbrev-ref", "HEAD"])}`,
      `status=[${await sb.git(dir, ["status", "--porcelain", "--untracked-files=all"])}]`,
      `index=${await sb.git(dir, ["write-tree"])}`,
      `diff=[${await sb.git(dir, ["diff", "HEAD"])}]`,
      // A merge or rebase left half-done shows only here.
      `merging=${(await sb.run(["git", "rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd: dir })).code === 0}`,
      `rebasing=${existsSync(await sb.git(dir, ["rev-parse", "--path-format=absolute", "--git-path", "rebase-merge"]))}`,
    );
  }
  return parts;
}
