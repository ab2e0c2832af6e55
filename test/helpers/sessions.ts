import { expect } from "bun:test";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { readClaudeLaunches, type ClaudeLaunch } from "./fake-claude-log.ts";
import type { RunOptions, Sandbox } from "./sandbox.ts";

// Reads and checks of csm's observable state (its JSON list, tmux, git) shared by the
// CLI scenarios, so each test file reads as the scenario it is.

export const SESSION_STATUSES = ["starting", "working", "waiting", "idle", "dead", "unknown"] as const;

export interface ListedSession {
  name: string;
  host: string;
  status: (typeof SESSION_STATUSES)[number];
  statusReason: string | null;
  repo: string | null;
  branch: string | null;
  worktree: string | null;
  createdAt: string;
  tmuxSession: string;
  baseRef: string | null;
  baseCommit: string | null;
  /** claude's permission mode, as claude reported it; null until it has. */
  permissionMode: string | null;
  /** False when that mode runs tools without asking csm. */
  guarded: boolean;
}

export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `csm/<NAME>-<YYYYMMDD-HHMMSS>` */
export const branchPattern = (name: string) => new RegExp(`^csm/${name.replace(/[.]/g, "\\.")}-\\d{8}-\\d{6}$`);

export const worktreePath = (sandbox: Sandbox, repo: string, name: string) => join(sandbox.paths.worktreeBase, basename(repo), name);

export async function listSessions(sandbox: Sandbox, options?: RunOptions): Promise<ListedSession[]> {
  const result = await sandbox.csm(["list", "--json"], options);
  if (result.code !== 0) throw new Error(`csm list --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ListedSession[];
}

export async function findSession(sandbox: Sandbox, name: string): Promise<ListedSession | undefined> {
  return (await listSessions(sandbox)).find((session) => session.name === name);
}

/** `csm create NAME --repo REPO …`, expected to succeed; returns its output. */
export async function createSession(sandbox: Sandbox, name: string, repo: string, extraArgs: string[] = [], options?: RunOptions) {
  const result = await sandbox.csm(["create", name, "--repo", repo, ...extraArgs], options);
  if (result.code !== 0) throw new Error(`csm create ${name} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/** Waits until the stand-in claude has recorded `count` launches and returns them. */
export async function waitForClaudeLaunches(sandbox: Sandbox, count = 1): Promise<ClaudeLaunch[]> {
  return sandbox.waitFor(
    async () => {
      const launches = await readClaudeLaunches(sandbox.paths.claudeLog);
      return launches.length >= count ? launches : undefined;
    },
    { what: `${count} claude launch(es) recorded in ${sandbox.paths.claudeLog}`, timeoutMs: 15_000 },
  );
}

/** The first launch once it has been sent `lines` stdin lines (the bridge's prompts). */
export async function waitForClaudeInput(sandbox: Sandbox, lines = 1): Promise<ClaudeLaunch> {
  return sandbox.waitFor(
    async () => {
      const [launch] = await readClaudeLaunches(sandbox.paths.claudeLog);
      return launch && launch.stdin.length >= lines ? launch : undefined;
    },
    { what: `${lines} line(s) on claude's stdin in ${sandbox.paths.claudeLog}`, timeoutMs: 15_000 },
  );
}

export async function hasTmuxSession(sandbox: Sandbox, name: string): Promise<boolean> {
  return (await sandbox.tmux(["has-session", "-t", `=csm-${name}`])).code === 0;
}

export async function csmBranches(sandbox: Sandbox, repo: string): Promise<string[]> {
  const out = await sandbox.git(repo, ["for-each-ref", "--format=%(refname:short)", "refs/heads/csm/"]);
  return out.split("\n").filter(Boolean);
}

/** Paths of every worktree git knows for `repo`, the main one included. */
export async function gitWorktrees(sandbox: Sandbox, repo: string): Promise<string[]> {
  const out = await sandbox.git(repo, ["worktree", "list", "--porcelain"]);
  return out
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length));
}

/** A refused or rolled-back command left no worktree, branch, tmux session or record. */
export async function expectNothingLeft(sandbox: Sandbox, repo: string, name: string) {
  expect(existsSync(worktreePath(sandbox, repo, name))).toBe(false);
  expect(await csmBranches(sandbox, repo)).toEqual([]);
  expect(await gitWorktrees(sandbox, repo)).toEqual([repo]);
  expect(await hasTmuxSession(sandbox, name)).toBe(false);
  expect((await listSessions(sandbox)).map((session) => session.name)).not.toContain(name);
}
