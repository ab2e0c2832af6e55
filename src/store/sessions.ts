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
  /** Per-session secret of the agent socket; never printed, never in argv. */
  agentSecret: string | null;
  transport: string | null;
  /** First of the session's 10 ports (CSM_PORT_BASE); null for sessions made before csm gave ports out. */
  portBase?: number | null;
  /** `csm mute`: no notifications from this session. Set only by setMuted, so insert leaves it out. */
  muted?: boolean;
}

export interface SessionOptions {
  prompt?: string;
  project?: string;
  noWorktree?: boolean;
  /** The conversation id this session was started to resume (`csm resume`). */
  resumed?: string;
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
  agent_secret: string | null;
  transport: string | null;
  port_base?: number | null;
  muted?: number;
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
  agentSecret: row.agent_secret,
  transport: row.transport,
  portBase: row.port_base ?? null,
  muted: row.muted === 1,
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
           created_worktree, created_at, options, claude_session_id, favourite, exit_status, exited_at,
           agent_secret, transport, port_base)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        record.agentSecret,
        record.transport,
        record.portBase ?? null,
      );
  }

  /**
   * Inserts the record with the first port block `pick` chooses among the ones not in use,
   * in one IMMEDIATE transaction: two creates at once see each other's block (and the
   * unique index stops any that would not). Returns the block, or null when `pick` found none.
   */
  insertWithPortBlock(record: SessionRecord, pick: (used: number[]) => number | null): number | null {
    return this.db
      .transaction(() => {
        const used = (this.db.query("SELECT port_base FROM sessions WHERE port_base IS NOT NULL").all() as { port_base: number }[]).map(
          (row) => row.port_base,
        );
        const portBase = pick(used);
        if (portBase === null) return null;
        this.insert({ ...record, portBase });
        return portBase;
      })
      .immediate();
  }

  recordExit(host: string, name: string, status: number, at: string): void {
    this.db.query("UPDATE sessions SET exit_status = ?, exited_at = ? WHERE host = ? AND name = ?").run(status, at, host, name);
  }

  /** A new claude process (reconnect) clears the previous one's exit. */
  clearExit(host: string, name: string): void {
    this.db.query("UPDATE sessions SET exit_status = NULL, exited_at = NULL, dead_since = NULL WHERE host = ? AND name = ?").run(host, name);
  }

  setClaudeSessionId(host: string, name: string, id: string): void {
    this.db.query("UPDATE sessions SET claude_session_id = ? WHERE host = ? AND name = ? AND claude_session_id IS NOT ?").run(id, host, name, id);
  }

  saveLiveSnapshot(host: string, name: string, snapshot: unknown, seq: number, deadSince: string | null): void {
    this.db
      .query("UPDATE sessions SET live_state = ?, live_seq = ?, dead_since = ? WHERE host = ? AND name = ?")
      .run(JSON.stringify(snapshot), seq, deadSince, host, name);
  }

  liveSnapshot(host: string, name: string): { snapshot: unknown; seq: number } | null {
    const row = this.db.query("SELECT live_state, live_seq FROM sessions WHERE host = ? AND name = ?").get(host, name) as
      | { live_state: string | null; live_seq: number }
      | null;
    return row?.live_state ? { snapshot: JSON.parse(row.live_state), seq: row.live_seq } : null;
  }

  setFavourite(host: string, name: string, favourite: boolean): void {
    this.db.query("UPDATE sessions SET favourite = ? WHERE host = ? AND name = ?").run(favourite ? 1 : 0, host, name);
  }

  setMuted(host: string, name: string, muted: boolean): void {
    this.db.query("UPDATE sessions SET muted = ? WHERE host = ? AND name = ?").run(muted ? 1 : 0, host, name);
  }

  remove(host: string, name: string): void {
    this.db.transaction(() => {
      this.db.query("DELETE FROM events WHERE host = ? AND session = ?").run(host, name);
      this.db.query("DELETE FROM sessions WHERE host = ? AND name = ?").run(host, name);
    })();
  }
}
