import type { Database } from "bun:sqlite";

// The event log. Each event has a seq that only grows (across sessions too, and never
// reused), so a client resumes exactly with "after seq N". Appends that carry a bridge frame
// number advance the session's link_seq in the same transaction: a restarted hub then
// knows precisely which frames it already holds.

export type EventKind = "claude" | "sent" | "link" | "decision";

export interface StoredEvent {
  session: string;
  seq: number;
  at: string;
  kind: EventKind;
  uuid: string | null;
  data: unknown;
}

export interface NewEvent {
  kind: EventKind;
  at: string;
  data: unknown;
  /** claude's message uuid: an event whose uuid is already stored is a replay and is skipped. */
  uuid?: string | null;
}

interface Row {
  session: string;
  seq: number;
  at: string;
  kind: EventKind;
  uuid: string | null;
  data: string;
}

const fromRow = (row: Row): StoredEvent => ({ ...row, data: JSON.parse(row.data) });

export class EventStore {
  constructor(private readonly db: Database) {}

  /**
   * Appends events in one transaction and returns those stored (replays dropped). With
   * `linkSeq`, the session's last bridge frame number is advanced with them.
   */
  append(host: string, session: string, events: NewEvent[], linkSeq?: number): StoredEvent[] {
    return this.db.transaction(() => {
      const stored: StoredEvent[] = [];
      const insert = this.db.query("INSERT OR IGNORE INTO events (host, session, at, kind, uuid, data) VALUES (?, ?, ?, ?, ?, ?)");
      for (const event of events) {
        const result = insert.run(host, session, event.at, event.kind, event.uuid ?? null, JSON.stringify(event.data));
        if (result.changes === 0) continue;
        const seq = Number(result.lastInsertRowid);
        stored.push({ session, seq, at: event.at, kind: event.kind, uuid: event.uuid ?? null, data: event.data });
      }
      if (linkSeq !== undefined) {
        this.db.query("UPDATE sessions SET link_seq = MAX(link_seq, ?) WHERE host = ? AND name = ?").run(linkSeq, host, session);
      }
      return stored;
    }).immediate();
  }

  after(host: string, session: string, afterSeq: number, limit = 10_000): StoredEvent[] {
    return (
      this.db
        .query("SELECT session, seq, at, kind, uuid, data FROM events WHERE host = ? AND session = ? AND seq > ? ORDER BY seq LIMIT ?")
        .all(host, session, afterSeq, limit) as Row[]
    ).map(fromRow);
  }

  /** Events of every session after `afterSeq` (the stream of all sessions resumes so). */
  afterAll(host: string, afterSeq: number, limit = 10_000): StoredEvent[] {
    return (
      this.db.query("SELECT session, seq, at, kind, uuid, data FROM events WHERE host = ? AND seq > ? ORDER BY seq LIMIT ?").all(host, afterSeq, limit) as Row[]
    ).map(fromRow);
  }

  /** The last `count` events, oldest first. */
  tail(host: string, session: string, count: number): StoredEvent[] {
    return (
      this.db
        .query("SELECT * FROM (SELECT session, seq, at, kind, uuid, data FROM events WHERE host = ? AND session = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq")
        .all(host, session, count) as Row[]
    ).map(fromRow);
  }

  linkSeq(host: string, session: string): number {
    const row = this.db.query("SELECT link_seq FROM sessions WHERE host = ? AND name = ?").get(host, session) as { link_seq: number } | null;
    return row?.link_seq ?? 0;
  }

  removeSession(host: string, session: string): void {
    this.db.query("DELETE FROM events WHERE host = ? AND session = ?").run(host, session);
  }

  /**
   * Retention policy: a session dead for longer than `deadFor` ms keeps only its newest
   * `keep` events (its live state survives in the snapshot). Killed sessions' events are
   * removed with the session.
   */
  pruneDead(now: Date, deadForMs: number, keep: number): number {
    const cutoff = new Date(now.getTime() - deadForMs).toISOString();
    return this.db
      .query(
        `DELETE FROM events WHERE EXISTS (
           SELECT 1 FROM sessions s WHERE s.host = events.host AND s.name = events.session
             AND s.dead_since IS NOT NULL AND s.dead_since < ? AND events.seq <= s.live_seq)
         AND seq <= (SELECT MAX(e.seq) FROM events e WHERE e.host = events.host AND e.session = events.session) - ?`,
      )
      .run(cutoff, keep).changes;
  }
}
