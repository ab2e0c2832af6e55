import type { Database } from "bun:sqlite";

// Browser sessions of the web dashboard: one row per logged-in browser, keyed by the SHA-256
// of its cookie (the cookie itself is never stored, so a copy of the database logs no one in).

export interface WebSessionRecord {
  createdAt: number;
  expiresAt: number;
}

export class WebSessionStore {
  constructor(private readonly db: Database) {}

  add(hash: string, createdAt: number, expiresAt: number): void {
    this.db.query("INSERT INTO web_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)").run(hash, createdAt, expiresAt);
  }

  /** The session with this hash while it has not expired; an expired one is removed. */
  find(hash: string, now: number): WebSessionRecord | null {
    const row = this.db.query("SELECT created_at, expires_at FROM web_sessions WHERE token_hash = ?").get(hash) as { created_at: number; expires_at: number } | null;
    if (!row) return null;
    if (row.expires_at <= now) {
      this.remove(hash);
      return null;
    }
    return { createdAt: row.created_at, expiresAt: row.expires_at };
  }

  remove(hash: string): void {
    this.db.query("DELETE FROM web_sessions WHERE token_hash = ?").run(hash);
  }

  /** Ends every browser session; returns how many there were. */
  removeAll(): number {
    return this.db.query("DELETE FROM web_sessions").run().changes;
  }

  pruneExpired(now: number): void {
    this.db.query("DELETE FROM web_sessions WHERE expires_at <= ?").run(now);
  }
}
