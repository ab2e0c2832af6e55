import type { Database } from "bun:sqlite";

// What csm knows about a session that tmux and git cannot tell it.
export interface SessionRecord {
  host: string;
  name: string;
  repo: string | null;
  worktree: string;
  branch: string | null;
  baseRef: string | null;
  baseCommit: string | null;
  /** csm made the branch, so `kill --delete-branch` may delete it. */
  createdBranch: boolean;
  /** csm made the worktree, so `kill` removes it (never a --no-worktree repo). */
  createdWorktree: boolean;
  createdAt: string;
  options: SessionOptions;
  claudeSessionId: string | null;
  favourite: boolean;
  exitStatus: number | null;
  exitedAt: string | null;
}

export interface SessionOptions {
  prompt?: string;
  project?: string;
  noWorktree?: boolean;
}

interface Row {
  host: string;
  name: string;
  repo: string | null;
  worktree: string;
  branch: string | null;
  base_ref: string | null;
  base_commit: string | null;
  created_branch: number;
  created_worktree: number;
  created_at: string;
  options: string;
  claude_session_id: string | null;
  favourite: number;
  exit_status: number | null;
  exited_at: string | null;
}

const fromRow = (row: Row): SessionRecord => ({
  host: row.host,
  name: row.name,
  repo: row.repo,
  worktree: row.worktree,
  branch: row.branch,
  baseRef: row.base_ref,
  baseCommit: row.base_commit,
  createdBranch: row.created_branch === 1,
  createdWorktree: row.created_worktree === 1,
  createdAt: row.created_at,
  options: JSON.parse(row.options) as SessionOptions,
  claudeSessionId: row.claude_session_id,
  favourite: row.favourite === 1,
  exitStatus: row.exit_status,
  exitedAt: row.exited_at,
});

export class SessionStore {
  constructor(private readonly db: Database) {}

  all(host: string): SessionRecord[] {
    return (this.db.query("SELECT * FROM sessions WHERE host = ? ORDER BY created_at, name").all(host) as Row[]).map(fromRow);
  }

  get(host: string, name: string): SessionRecord | null {
    const row = this.db.query("SELECT * FROM sessions WHERE host = ? AND name = ?").get(host, name) as Row | null;
    return row ? fromRow(row) : null;
  }

  insert(record: SessionRecord): void {
    this.db
      .query(
        `INSERT INTO sessions (host, name, repo, worktree, branch, base_ref, base_commit, created_branch,
           created_worktree, created_at, options, claude_session_id, favourite, exit_status, exited_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.host,
        record.name,
        record.repo,
        record.worktree,
        record.branch,
        record.baseRef,
        record.baseCommit,
        record.createdBranch ? 1 : 0,
        record.createdWorktree ? 1 : 0,
        record.createdAt,
        JSON.stringify(record.options),
        record.claudeSessionId,
        record.favourite ? 1 : 0,
        record.exitStatus,
        record.exitedAt,
      );
  }

  recordExit(host: string, name: string, status: number, at: string): void {
    this.db.query("UPDATE sessions SET exit_status = ?, exited_at = ? WHERE host = ? AND name = ?").run(status, at, host, name);
  }

  remove(host: string, name: string): void {
    this.db.query("DELETE FROM sessions WHERE host = ? AND name = ?").run(host, name);
  }
}
