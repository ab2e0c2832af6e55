import type { Database } from "bun:sqlite";

// What is kept of a session once it ended: its sessions row and events go with `kill`, this
// stays until the retention period is over. One entry per life of a name (host, name,
// started_at): a session made again under the same name is another entry, with its own id.

/** How a session ended: claude's exit status or signal, tmux gone, its window closed, or `csm kill`. */
export type EndKind = "exit" | "signal" | "tmux-gone" | "window-closed" | "killed";

export interface LastToolUse {
  name: string;
  /** What the call is recognised by (command, path, pattern…); never file contents. */
  input: string;
  at: string | null;
  /** A result for it came back before the end. */
  answered: boolean;
}

export interface ArchiveEntry {
  id: number;
  host: string;
  name: string;
  repo: string | null;
  branch: string | null;
  worktree: string | null;
  claudeSessionId: string | null;
  transport: string | null;
  startedAt: string;
  endedAt: string;
  endKind: EndKind;
  endReason: string;
  exitStatus: number | null;
  signal: string | null;
  turns: number;
  costUsd: number;
  lastTool: LastToolUse | null;
  lastMessage: string | null;
  lastError: string | null;
  /** The agent pane's capped log (see host/pane-log.ts), when the session had one. */
  paneLog: string | null;
  /** When `csm kill` removed the session (it may have ended earlier on its own). */
  removedAt: string | null;
}

export type NewArchiveEntry = Omit<ArchiveEntry, "id" | "removedAt">;

interface Row {
  id: number;
  host: string;
  name: string;
  repo: string | null;
  branch: string | null;
  worktree: string | null;
  claude_session_id: string | null;
  transport: string | null;
  started_at: string;
  ended_at: string;
  end_kind: string;
  end_reason: string;
  exit_status: number | null;
  signal: string | null;
  turns: number;
  cost_usd: number;
  last_tool: string | null;
  last_message: string | null;
  last_error: string | null;
  pane_log: string | null;
  removed_at: string | null;
}

const fromRow = (row: Row): ArchiveEntry => ({
  id: row.id,
  host: row.host,
  name: row.name,
  repo: row.repo,
  branch: row.branch,
  worktree: row.worktree,
  claudeSessionId: row.claude_session_id,
  transport: row.transport,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  endKind: row.end_kind as EndKind,
  endReason: row.end_reason,
  exitStatus: row.exit_status,
  signal: row.signal,
  turns: row.turns,
  costUsd: row.cost_usd,
  lastTool: row.last_tool ? (JSON.parse(row.last_tool) as LastToolUse) : null,
  lastMessage: row.last_message,
  lastError: row.last_error,
  paneLog: row.pane_log,
  removedAt: row.removed_at,
});

export class ArchiveStore {
  constructor(private readonly db: Database) {}

  /**
   * Records how a life of a session ended. The same life ending again (a reconnected claude
   * that died too) replaces the end with the newer one and keeps the id.
   */
  recordEnd(entry: NewArchiveEntry): ArchiveEntry {
    const row = this.db
      .query(
        `INSERT INTO archive (host, name, repo, branch, worktree, claude_session_id, transport, started_at, ended_at, end_kind,
           end_reason, exit_status, signal, turns, cost_usd, last_tool, last_message, last_error, pane_log)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (host, name, started_at) DO UPDATE SET
           repo = excluded.repo, branch = excluded.branch, worktree = excluded.worktree,
           claude_session_id = excluded.claude_session_id, transport = excluded.transport, ended_at = excluded.ended_at,
           end_kind = excluded.end_kind, end_reason = excluded.end_reason, exit_status = excluded.exit_status,
           signal = excluded.signal, turns = excluded.turns, cost_usd = excluded.cost_usd, last_tool = excluded.last_tool,
           last_message = excluded.last_message, last_error = excluded.last_error, pane_log = excluded.pane_log
         RETURNING *`,
      )
      .get(
        entry.host,
        entry.name,
        entry.repo,
        entry.branch,
        entry.worktree,
        entry.claudeSessionId,
        entry.transport,
        entry.startedAt,
        entry.endedAt,
        entry.endKind,
        entry.endReason,
        entry.exitStatus,
        entry.signal,
        entry.turns,
        entry.costUsd,
        entry.lastTool ? JSON.stringify(entry.lastTool) : null,
        entry.lastMessage,
        entry.lastError,
        entry.paneLog,
      ) as Row;
    return fromRow(row);
  }

  /** `csm kill` removed the session; its end, when it came earlier, stays as it was. */
  markRemoved(id: number, at: string): void {
    this.db.query("UPDATE archive SET removed_at = ? WHERE id = ?").run(at, id);
  }

  /** The entry of one life of a session (its sessions row's created_at), if it ended. */
  forLife(host: string, name: string, startedAt: string): ArchiveEntry | null {
    const row = this.db.query("SELECT * FROM archive WHERE host = ? AND name = ? AND started_at = ?").get(host, name, startedAt) as Row | null;
    return row ? fromRow(row) : null;
  }

  /** Newest end first. */
  all(host: string): ArchiveEntry[] {
    return (this.db.query("SELECT * FROM archive WHERE host = ? ORDER BY ended_at DESC, id DESC").all(host) as Row[]).map(fromRow);
  }

  get(host: string, id: number): ArchiveEntry | null {
    const row = this.db.query("SELECT * FROM archive WHERE host = ? AND id = ?").get(host, id) as Row | null;
    return row ? fromRow(row) : null;
  }

  /** The newest end of a session that ran conversation `claudeSessionId`. */
  lastEndOf(host: string, claudeSessionId: string): ArchiveEntry | null {
    const row = this.db.query("SELECT * FROM archive WHERE host = ? AND claude_session_id = ? ORDER BY ended_at DESC, id DESC LIMIT 1").get(host, claudeSessionId) as Row | null;
    return row ? fromRow(row) : null;
  }

  /** Every life of `name`, newest end first. */
  byName(host: string, name: string): ArchiveEntry[] {
    return (this.db.query("SELECT * FROM archive WHERE host = ? AND name = ? ORDER BY ended_at DESC, id DESC").all(host, name) as Row[]).map(fromRow);
  }

  /** Removes entries that ended more than `retentionDays` before `now`; returns them (their pane logs go too). */
  prune(now: Date, retentionDays: number): ArchiveEntry[] {
    const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000).toISOString();
    return (this.db.query("DELETE FROM archive WHERE ended_at < ? RETURNING *").all(cutoff) as Row[]).map(fromRow);
  }
}
