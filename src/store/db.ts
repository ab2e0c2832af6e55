import { Database } from "bun:sqlite";
import { retryWhileBusy } from "./retry-while-busy.ts";
import { damageReason, EmptyStoreError, leftEmpty, LOST_WITH_STORE, moveDamagedAside } from "./db-damage.ts";

export type { Database };

// One SQLite file per host under the XDG state dir. WAL so the hub (later) can write
// while CLI commands read. Migrations are append-only: index i upgrades to version i+1.
export const MIGRATIONS: string[] = [
  `CREATE TABLE sessions (
     host TEXT NOT NULL,
     name TEXT NOT NULL,
     repo TEXT,
     worktree TEXT NOT NULL,
     branch TEXT,
     base_ref TEXT,
     base_commit TEXT,
     created_branch INTEGER NOT NULL DEFAULT 0,
     created_worktree INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     options TEXT NOT NULL DEFAULT '{}',
     claude_session_id TEXT,
     favourite INTEGER NOT NULL DEFAULT 0,
     exit_status INTEGER,
     exited_at TEXT,
     PRIMARY KEY (host, name)
   )`,
  // The live link: a per-session secret for the agent socket, the transport, the last
  // bridge frame stored (so a restarted hub asks for exactly what it has not got), a
  // snapshot of the live state with the seq it covers (a restarted hub replays only what
  // came after), and the event log. seq is AUTOINCREMENT: it grows within every session
  // and is never reused, not even after a session is killed and made again under the same
  // name, so an event stream's position (Last-Event-ID) always means one event.
  `ALTER TABLE sessions ADD COLUMN agent_secret TEXT;
   ALTER TABLE sessions ADD COLUMN transport TEXT;
   ALTER TABLE sessions ADD COLUMN link_seq INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE sessions ADD COLUMN live_state TEXT;
   ALTER TABLE sessions ADD COLUMN live_seq INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE sessions ADD COLUMN dead_since TEXT;
   CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     host TEXT NOT NULL,
     session TEXT NOT NULL,
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     uuid TEXT,
     data TEXT NOT NULL
   );
   CREATE INDEX events_session ON events (host, session, seq);
   CREATE UNIQUE INDEX events_uuid ON events (host, session, uuid) WHERE uuid IS NOT NULL;`,
  // A session's block of ports (CSM_PORT_BASE). Ports belong to the machine, not to a
  // host name, so the index is on the base alone: no two sessions ever share a block.
  // Sessions made before this have none (NULL).
  `ALTER TABLE sessions ADD COLUMN port_base INTEGER;
   CREATE UNIQUE INDEX sessions_port_base ON sessions (port_base) WHERE port_base IS NOT NULL;`,
  // The archive: what is kept of a session once it ended (claude exited, tmux went away,
  // `csm kill`), after its sessions row and events are gone. One row per life of a name
  // (host, name, started_at), so a session made again under the same name gets its own.
  `CREATE TABLE archive (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     host TEXT NOT NULL,
     name TEXT NOT NULL,
     repo TEXT,
     branch TEXT,
     worktree TEXT,
     claude_session_id TEXT,
     transport TEXT,
     started_at TEXT NOT NULL,
     ended_at TEXT NOT NULL,
     end_kind TEXT NOT NULL,
     end_reason TEXT NOT NULL,
     exit_status INTEGER,
     signal TEXT,
     turns INTEGER NOT NULL DEFAULT 0,
     cost_usd REAL NOT NULL DEFAULT 0,
     last_tool TEXT,
     last_message TEXT,
     last_error TEXT,
     pane_log TEXT,
     removed_at TEXT
   );
   CREATE UNIQUE INDEX archive_life ON archive (host, name, started_at);
   CREATE INDEX archive_ended ON archive (ended_at);`,
  // The web dashboard's browser sessions (store/web-sessions.ts): only a hash of each cookie.
  `CREATE TABLE web_sessions (
     token_hash TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  // `csm mute NAME`: no notifications from this session (hub/notifier.ts).
  `ALTER TABLE sessions ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;`,
];

/**
 * Opens (creating and migrating as needed) the state database. A file SQLite cannot read
 * is moved aside and replaced by a fresh one (see db-damage.ts); `report` says so in one line.
 */
export function openDatabase(path: string, report: (line: string) => void = (line) => process.stderr.write(`csm: ${line}\n`)): Database {
  try {
    return openReadable(path);
  } catch (error) {
    const reason = damageReason(error);
    if (!reason) throw error;
    const aside = moveDamagedAside(path, reason);
    if (aside) report(`the state database ${path} could not be read (${reason}): moved it to ${aside} and started a fresh one; ${LOST_WITH_STORE}`);
    return openReadable(path);
  }
}

function openReadable(path: string): Database {
  let db: Database;
  try {
    db = new Database(path, { create: true });
  } catch {
    // First run: make the state dir. node:fs loads only here, off the common path.
    const { mkdirSync } = require("node:fs") as typeof import("node:fs");
    mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
    db = new Database(path, { create: true });
  }
  try {
    db.exec("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    if (schemaVersion(db) === 0) {
      if (leftEmpty(path)) throw new EmptyStoreError();
      // A new store: it will hold agent secrets, so only its owner may read it.
      (require("node:fs") as typeof import("node:fs")).chmodSync(path, 0o600);
    }
    // Several csm processes may create the database at once (`csm create a & csm create b`).
    // Switching to WAL (persistent, so only the first time) can answer BUSY without waiting
    // on busy_timeout, so opening retries on BUSY for a while.
    retryWhileBusy(() => {
      if ((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode !== "wal") db.exec("PRAGMA journal_mode = WAL");
      migrate(db);
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const schemaVersion = (db: Database) => (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;

function migrate(db: Database): void {
  if (schemaVersion(db) === MIGRATIONS.length) return;
  // IMMEDIATE: two csm processes starting at once must not both run a migration; the
  // second waits for the lock, then sees the version the first one wrote.
  db.transaction(() => {
    const current = schemaVersion(db);
    if (current > MIGRATIONS.length) {
      throw new Error(`the state database ${db.filename} was written by a newer csm (schema ${current}); upgrade csm`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]!);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
