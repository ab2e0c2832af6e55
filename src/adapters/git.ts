import type { Runner, RunResult } from "../host/runner.ts";
import { parseLeftRightCount, parsePathsZ, parseRawNumstatZ, type ChangedPath } from "./git-diff-format.ts";
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

// A patch as a reviewer reads it, whatever the user's git config says (external diff
// tools, textconv filters, colour, other prefixes).
const PATCH_OPTIONS = ["--no-ext-diff", "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/"];
/** Pathspecs that are names, never globs or magic (a file may be called `*.txt` or `:x`). */
const literal = (paths: readonly string[]) => paths.map((path) => `:(literal)${path}`);

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

  /**
   * Commits reachable from `tips` (csm's branch refs and commit ids) that no remote-tracking
   * ref, no tag and no local branch but `ownBranch` has, as "abc1234 subject": what exists
   * nowhere else once `ownBranch` and the worktree go. Work merged into another local branch
   * (`csm merge --into`, the base) is saved, and so is `savedElsewhere` (commit ids).
   */
  async unsavedCommits(repo: string, tips: readonly string[], ownBranch: string | null, savedElsewhere: readonly string[] = []): Promise<string[]> {
    const exclude = ownBranch ? [`--exclude=${ownBranch}`] : [];
    const out = await this.call(repo, ["log", "--format=%h %s", ...tips, "--not", "--remotes", "--tags", ...exclude, "--branches", ...savedElsewhere, "--"]);
    return out.split("\n").filter((line) => line !== "");
  }

  /** The full name of the ref `name` resolves to (`refs/heads/main`), or null for a commit id or nothing. */
  async fullRefName(repo: string, name: string): Promise<string | null> {
    const result = await this.run(repo, ["rev-parse", "--verify", "--quiet", "--symbolic-full-name", "--end-of-options", name]);
    const full = result.stdout.trim();
    return result.code === 0 && full.startsWith("refs/") ? full : null;
  }

  // Starting from existing work (create --branch / --pr, .worktreeinclude).

  /** Whether `name` is a valid branch name as given (`@{-1}` and friends, which git expands, are not). */
  async isValidBranchName(repo: string, name: string): Promise<boolean> {
    const result = await this.run(repo, ["check-ref-format", "--branch", name]);
    return result.code === 0 && result.stdout.trim() === name;
  }

  /** The repository's remotes by name. */
  async remotes(repo: string): Promise<string[]> {
    return (await this.call(repo, ["remote"])).split("\n").filter((line) => line !== "");
  }

  /** Whether a full ref (refs/remotes/origin/x) exists. */
  async refExists(repo: string, ref: string): Promise<boolean> {
    return (await this.run(repo, ["show-ref", "--verify", "--quiet", ref])).code === 0;
  }

  /** A worktree with an existing local branch checked out. */
  async addWorktreeOnBranch(repo: string, path: string, branch: string): Promise<void> {
    await this.call(repo, ["worktree", "add", "--", path, branch]);
  }

  /** A worktree on a new local branch that tracks `remoteRef` (refs/remotes/R/B), as `git checkout B` makes it. */
  async addWorktreeTracking(repo: string, path: string, branch: string, remoteRef: string): Promise<void> {
    await this.call(repo, ["worktree", "add", "--track", "-b", branch, "--", path, remoteRef]);
  }

  /** Fetches one remote ref into a new local branch; the result tells whether the remote had it. */
  async fetchIntoBranch(repo: string, remote: string, ref: string, branch: string): Promise<RunResult> {
    return this.run(repo, ["fetch", "--quiet", "--no-tags", "--end-of-options", remote, `${ref}:refs/heads/${branch}`]);
  }

  /**
   * Untracked files that match the gitignore-syntax patterns in `patternFile` and that the
   * repository ignores, relative to the top: git does the matching (nesting, `!`, `**`).
   */
  async ignoredFilesMatching(repo: string, patternFile: string): Promise<string[]> {
    const listed = await this.call(repo, ["ls-files", "-z", "--others", "--ignored", `--exclude-from=${patternFile}`]);
    if (listed === "") return [];
    // Exit 1 means none of them is ignored.
    const checked = await this.runner.run(["git", "-C", repo, "check-ignore", "-z", "--stdin"], { input: listed });
    if (checked.code > 1) throw new GitError(["check-ignore", "-z", "--stdin"], checked);
    return checked.stdout.split("\0").filter((path) => path !== "");
  }

  /** The best common ancestor of two commits, or null when they have none. Both are commits csm resolved, never a user's text. */
  async mergeBase(repo: string, a: string, b: string): Promise<string | null> {
    const result = await this.run(repo, ["merge-base", a, b]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** Commits in `head` and not in `base` (ahead), and the other way round (behind). */
  async aheadBehind(worktree: string, base: string, head = "HEAD"): Promise<{ ahead: number; behind: number }> {
    return parseLeftRightCount(await this.call(worktree, ["rev-list", "--left-right", "--count", `${base}...${head}`, "--"]));
  }

  /**
   * Every tracked path whose working-tree content differs from `commit`: what was committed
   * since and what is not committed yet, in one call. Renames detected; a binary file has no counts.
   */
  async changedSince(worktree: string, commit: string, paths: readonly string[] = []): Promise<ChangedPath[]> {
    return parseRawNumstatZ(await this.call(worktree, ["diff", "--raw", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv", commit, "--", ...literal(paths)]));
  }

  /**
   * What HEAD's commits changed since the merge base with `base`, tree against tree: no file
   * in the working tree is looked at. `base...HEAD` finds the merge base in the same call
   * (the one `git merge-base base HEAD` prints, also when there are several).
   */
  async committedSince(worktree: string, base: string, head = "HEAD"): Promise<ChangedPath[]> {
    return parseRawNumstatZ(await this.call(worktree, ["diff", "--raw", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv", `${base}...${head}`, "--"]));
  }

  /** What is not committed yet, staged or not: the working tree against HEAD (the same work as `git diff --stat`). */
  async uncommitted(worktree: string, paths: readonly string[] = []): Promise<ChangedPath[]> {
    return parseRawNumstatZ(await this.call(worktree, ["diff", "--raw", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv", "HEAD", "--", ...literal(paths)]));
  }

  /** The worktree's own git dir and the repository's common one (config, info/attributes), absolute. */
  async gitDirs(worktree: string): Promise<{ gitDir: string; commonDir: string }> {
    const [gitDir, commonDir] = (await this.call(worktree, ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"])).split("\n");
    return { gitDir: gitDir!, commonDir: commonDir! };
  }

  /**
   * `git status --porcelain=v1 -z`, every untracked file named, renames not paired: which
   * paths differ from HEAD or the index and how, and which git does not track (as `??`). It
   * never writes the index (claude may be running git in the same worktree), and compares
   * file stats, not contents, where it can.
   */
  async workingTreeStatus(worktree: string): Promise<string> {
    // A submodule's own untracked files never show in `git diff HEAD`: not looked for.
    return this.call(worktree, ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=untracked", "--no-renames"]);
  }

  /** The same paths and statuses without line counts: git compares object ids and reads no content (but for renames), so it is several times cheaper. */
  async changedPathsSince(worktree: string, commit: string): Promise<ChangedPath[]> {
    return parseRawNumstatZ(await this.call(worktree, ["diff", "--raw", "-z", "-M", "--no-ext-diff", commit, "--"]));
  }

  /** Files git does not track and does not ignore. */
  async untrackedFiles(worktree: string): Promise<string[]> {
    return parsePathsZ(await this.call(worktree, ["ls-files", "--others", "--exclude-standard", "-z"]));
  }

  /**
   * A unified diff of the working tree against `commit`, limited to `paths` (a rename's old
   * and new path, so it is still seen as one). Literal pathspecs: a path is a name, never a glob.
   */
  async diffSince(worktree: string, commit: string, paths: readonly string[]): Promise<string> {
    return this.call(worktree, ["diff", ...PATCH_OPTIONS, "-M", commit, "--", ...literal(paths)]);
  }

  /** An untracked file as a unified diff that adds it (`git diff --no-index` exits 1 when there is a difference). */
  async diffUntracked(worktree: string, path: string): Promise<string> {
    const args = ["diff", "--no-index", ...PATCH_OPTIONS, "--", "/dev/null", path];
    const result = await this.run(worktree, args);
    if (result.code !== 0 && result.code !== 1) throw new GitError(args, result);
    return result.stdout;
  }

  // Landing a session's work (csm merge, csm push).

  /** Commits on `from` that `into` lacks, oldest first, as "abc1234 subject". */
  async commitsBetween(repo: string, into: string, from: string): Promise<string[]> {
    const out = await this.call(repo, ["log", "--reverse", "--format=%h %s", `${into}..${from}`, "--"]);
    return out.split("\n").filter((line) => line !== "");
  }

  /**
   * Whether merging `branch` into `base` would change nothing: its work is already there,
   * as after a squash merge. A conflict says no.
   */
  async addsNothingTo(repo: string, base: string, branch: string): Promise<boolean> {
    const merged = await this.run(repo, ["merge-tree", "--write-tree", "--end-of-options", base, branch]);
    const tree = await this.run(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${base}^{tree}`]);
    return merged.code === 0 && tree.code === 0 && merged.stdout.split("\n")[0]!.trim() === tree.stdout.trim();
  }

  /**
   * Merges `ref` into the checked-out branch: "merge" fast-forwards when it can and makes a
   * merge commit otherwise, "ff-only" refuses anything else, "squash" stages the result for
   * a commit. Returned, not thrown: a conflict is for the caller to undo and report.
   */
  mergeInto(repo: string, ref: string, mode: "merge" | "ff-only" | "squash", message?: string): Promise<RunResult> {
    const how = mode === "merge" ? ["--no-edit", ...(message !== undefined ? ["-m", message] : [])] : mode === "ff-only" ? ["--ff-only"] : ["--squash"];
    return this.run(repo, ["merge", ...how, "--end-of-options", ref]);
  }

  /** Undoes a merge stopped on conflicts; a squash leaves no MERGE_HEAD, so `reset --merge` undoes it. */
  async abortMerge(repo: string, squash: boolean): Promise<void> {
    await this.call(repo, squash ? ["reset", "--merge"] : ["merge", "--abort"]);
  }

  /** Where git keeps `name` for this checkout (`SQUASH_MSG`, …), absolute. */
  async gitPath(repo: string, name: string): Promise<string> {
    return (await this.call(repo, ["rev-parse", "--path-format=absolute", "--git-path", name])).trim();
  }

  /** Rebases the branch checked out in `worktree` onto `onto`; returned, not thrown, like mergeInto. */
  rebaseOnto(worktree: string, onto: string): Promise<RunResult> {
    return this.run(worktree, ["rebase", "--end-of-options", onto]);
  }

  async abortRebase(worktree: string): Promise<void> {
    await this.call(worktree, ["rebase", "--abort"]);
  }

  /** Paths with unresolved conflicts after a merge or rebase stopped. */
  async conflictedFiles(cwd: string): Promise<string[]> {
    return (await this.call(cwd, ["diff", "--name-only", "--diff-filter=U", "-z"])).split("\0").filter((path) => path !== "");
  }

  /** Whether the index differs from HEAD (a squash that brought nothing new stages nothing). */
  async hasStagedChanges(repo: string): Promise<boolean> {
    const result = await this.run(repo, ["diff", "--cached", "--quiet"]);
    if (result.code > 1) throw new GitError(["diff", "--cached", "--quiet"], result);
    return result.code === 1;
  }

  /** Commits what is staged, each paragraph its own -m. */
  async commitStaged(repo: string, paragraphs: string[]): Promise<void> {
    await this.call(repo, ["commit", "--quiet", ...paragraphs.flatMap((text) => ["-m", text])]);
  }

  /** `git push -u REMOTE BRANCH`; returned, not thrown, so the caller can say why it was refused. */
  pushBranch(worktree: string, remote: string, branch: string): Promise<RunResult> {
    return this.run(worktree, ["push", "-u", "--end-of-options", remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  }
}
