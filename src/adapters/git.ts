import type { Runner, RunResult } from "../host/runner.ts";
import { parseStatusZ, parseWorktreeList, type WorktreeEntry } from "./git-format.ts";

// git through the host Runner (not simple-git, which spawns its own local processes and
// so could not run on an SSH host). Every call names its repository with -C.

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    super(`git ${args.join(" ")} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
    this.name = "GitError";
  }
}

export class Git {
  constructor(private readonly runner: Runner) {}

  private run(cwd: string, args: readonly string[]): Promise<RunResult> {
    return this.runner.run(["git", "-C", cwd, ...args]);
  }

  private async call(cwd: string, args: readonly string[]): Promise<string> {
    const result = await this.run(cwd, args);
    if (result.code !== 0) throw new GitError(args, result);
    return result.stdout;
  }

  async version(): Promise<string | null> {
    const result = await this.runner.run(["git", "--version"]).catch(() => null);
    return result && result.code === 0 ? result.stdout.trim() : null;
  }

  /** The top of the work tree containing `path`, or null if it is not in a git repository. */
  async topLevel(path: string): Promise<string | null> {
    const result = await this.run(path, ["rev-parse", "--show-toplevel"]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** The commit a ref names, or null when it names none. `--end-of-options` keeps a ref like `-x` from being read as a flag. */
  async resolveCommit(repo: string, ref: string): Promise<string | null> {
    const result = await this.run(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** The short branch name HEAD points to, or null when detached. */
  async currentBranch(repo: string): Promise<string | null> {
    const result = await this.run(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  async branchExists(repo: string, branch: string): Promise<boolean> {
    const result = await this.run(repo, ["show-ref", "--verify", "--quiet", `refs/heads/${branch}`]);
    return result.code === 0;
  }

  async addWorktree(repo: string, path: string, branch: string, baseCommit: string): Promise<void> {
    await this.call(repo, ["worktree", "add", "-b", branch, "--", path, baseCommit]);
  }

  async removeWorktree(repo: string, path: string, force: boolean): Promise<void> {
    await this.call(repo, ["worktree", "remove", ...(force ? ["--force", "--force"] : []), "--", path]);
  }

  async pruneWorktrees(repo: string): Promise<void> {
    await this.call(repo, ["worktree", "prune"]);
  }

  async listWorktrees(repo: string): Promise<WorktreeEntry[]> {
    return parseWorktreeList(await this.call(repo, ["worktree", "list", "--porcelain"]));
  }

  async deleteBranch(repo: string, branch: string): Promise<void> {
    await this.call(repo, ["branch", "-D", "--", branch]);
  }

  /** Uncommitted changes, untracked files included (a removed worktree would lose them). */
  async uncommittedFiles(worktree: string): Promise<string[]> {
    return parseStatusZ(await this.call(worktree, ["status", "--porcelain=v1", "-z", "--untracked-files=all"]));
  }

  /** Commits on `branch` that no remote has and `base` does not contain, as "abc1234 subject". */
  async unpushedCommits(repo: string, branch: string, base: string): Promise<string[]> {
    const out = await this.call(repo, ["log", "--format=%h %s", `refs/heads/${branch}`, "--not", "--remotes", base, "--"]);
    return out.split("\n").filter((line) => line !== "");
  }
}
