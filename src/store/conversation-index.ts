import { Database } from "bun:sqlite";
import { rmSync, mkdirSync } from "node:fs";
import type { ConversationFacts } from "../core/conversations/conversation-facts.ts";
import { damageReason } from "./db-damage.ts";
import { isBusy, retryWhileBusy } from "./retry-while-busy.ts";

// The conversation index: a cache of what every transcript on this host holds, in its own
// SQLite file under the XDG cache dir. Deleting it loses nothing (the next query rebuilds
// it); a schema change rebuilds it. One row per transcript file, its facts as JSON plus the
// columns queries filter and sort on; its searchable text in an FTS5 table, one row per
// indexing pass of the file (a file that grew adds a row; one that was rewritten starts over).

/** Bump to rebuild every index on its next open. */
export const INDEX_SCHEMA = 1;

const SCHEMA = `
  CREATE TABLE files (
    file INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL,
    project TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    offset INTEGER NOT NULL,
    subagents INTEGER NOT NULL DEFAULT 0,
    cwd TEXT,
    custom_title TEXT,
    title TEXT,
    last_active_at TEXT,
    facts TEXT NOT NULL
  );
  CREATE INDEX files_id ON files (id);
  CREATE INDEX files_last_active ON files (last_active_at);
  CREATE VIRTUAL TABLE texts USING fts5 (text, file UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE problems (path TEXT NOT NULL, reason TEXT NOT NULL);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

export interface IndexedFile {
  file: number;
  path: string;
  id: string;
  project: string;
  size: number;
  mtimeMs: number;
  offset: number;
  subagents: number;
  facts: ConversationFacts;
}

/** One file's new state after a pass, written only if nobody wrote it since `expected` was read. */
export interface FileUpdate extends Omit<IndexedFile, "file"> {
  texts: string[];
  /** The row this pass started from (null: a file not indexed before). */
  expected: { size: number; mtimeMs: number; offset: number } | null;
  /** Drop the file's old text first: it was read again from the start. */
  reset: boolean;
}

interface FileRow {
  file: number;
  path: string;
  id: string;
  project: string;
  size: number;
  mtime_ms: number;
  offset: number;
  subagents: number;
  facts: string;
}

const toIndexed = (row: FileRow): IndexedFile => ({
  file: row.file,
  path: row.path,
  id: row.id,
  project: row.project,
  size: row.size,
  mtimeMs: row.mtime_ms,
  offset: row.offset,
  subagents: row.subagents,
  facts: JSON.parse(row.facts) as ConversationFacts,
});

export class ConversationIndex {
  private constructor(readonly db: Database) {}

  /** Opens the index at `path`; a damaged or outdated one is dropped and made anew. */
  static open(path: string): ConversationIndex {
    try {
      return new ConversationIndex(openIndex(path));
    } catch (error) {
      if (!damageReason(error)) throw error;
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      return new ConversationIndex(openIndex(path));
    }
  }

  close(): void {
    this.db.close();
  }

  /** Every indexed file, for the incremental pass to compare against the disk. */
  allFiles(): Map<string, { size: number; mtimeMs: number; offset: number; subagents: number }> {
    const rows = this.db.query("SELECT path, size, mtime_ms, offset, subagents FROM files").all() as FileRow[];
    return new Map(rows.map((row) => [row.path, { size: row.size, mtimeMs: row.mtime_ms, offset: row.offset, subagents: row.subagents }]));
  }

  fileByPath(path: string): IndexedFile | null {
    const row = this.db.query("SELECT * FROM files WHERE path = ?").get(path) as FileRow | null;
    return row ? toIndexed(row) : null;
  }

  /** Writes a batch of passes in one transaction; a file another process wrote meanwhile is left to it. */
  apply(updates: readonly FileUpdate[], removed: readonly string[]): number {
    let written = 0;
    const current = this.db.query("SELECT file, size, mtime_ms, offset FROM files WHERE path = ?");
    const upsert = this.db.query(
      `INSERT INTO files (path, id, project, size, mtime_ms, offset, subagents, cwd, custom_title, title, last_active_at, facts)
       VALUES ($path, $id, $project, $size, $mtime, $offset, $subagents, $cwd, $custom, $title, $last, $facts)
       ON CONFLICT (path) DO UPDATE SET id = $id, project = $project, size = $size, mtime_ms = $mtime, offset = $offset,
         subagents = $subagents, cwd = $cwd, custom_title = $custom, title = $title, last_active_at = $last, facts = $facts
       RETURNING file`,
    );
    const addText = this.db.query("INSERT INTO texts (text, file) VALUES (?, ?)");
    const dropTexts = this.db.query("DELETE FROM texts WHERE file = ?");
    const dropFile = this.db.query("DELETE FROM files WHERE file = ?");
    this.db.transaction(() => {
      for (const update of updates) {
        const row = current.get(update.path) as { file: number; size: number; mtime_ms: number; offset: number } | null;
        const same = update.expected === null ? row === null : row !== null && row.size === update.expected.size && row.mtime_ms === update.expected.mtimeMs && row.offset === update.expected.offset;
        if (!same) continue;
        if (row && update.reset) dropTexts.run(row.file);
        const facts = update.facts;
        const { file } = upsert.get({
          $path: update.path,
          $id: update.id,
          $project: update.project,
          $size: update.size,
          $mtime: update.mtimeMs,
          $offset: update.offset,
          $subagents: update.subagents,
          $cwd: facts.cwd ?? null,
          $custom: facts.customTitle ?? null,
          $title: facts.customTitle ?? facts.aiTitle ?? facts.firstPrompt ?? null,
          $last: facts.lastActiveAt ?? null,
          $facts: JSON.stringify(facts),
        }) as { file: number };
        if (update.texts.length > 0) addText.run(update.texts.join("\n"), file);
        written += 1;
      }
      for (const path of removed) {
        const row = current.get(path) as { file: number } | null;
        if (!row) continue;
        dropTexts.run(row.file);
        dropFile.run(row.file);
      }
    }).immediate();
    return written;
  }

  setProblems(problems: readonly { path: string; reason: string }[]): void {
    const add = this.db.query("INSERT INTO problems (path, reason) VALUES (?, ?)");
    this.db.transaction(() => {
      this.db.run("DELETE FROM problems");
      for (const problem of problems) add.run(problem.path, problem.reason);
    }).immediate();
  }

  problems(): { path: string; reason: string }[] {
    return this.db.query("SELECT path, reason FROM problems ORDER BY path").all() as { path: string; reason: string }[];
  }

  getMeta(key: string): string | null {
    return (this.db.query("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | null)?.value ?? null;
  }

  /**
   * Merges the text index into one b-tree. Passes add small segments that FTS5 merges only
   * partly as it goes; merged whole, a search's snippets cost a half to a third
   * (`bun run bench conversations`). A process busy writing meanwhile leaves it to later.
   */
  optimize(): boolean {
    try {
      this.db.run("INSERT INTO texts (texts) VALUES ('optimize')");
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
  }

  setMeta(key: string, value: string): void {
    this.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** Files newest first by last activity, filtered; the facts of each. */
  recent(filter: { cwdPrefix?: string; since?: string; limit: number }): IndexedFile[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.cwdPrefix !== undefined) {
      where.push("(cwd = ? OR substr(cwd, 1, ?) = ?)");
      const prefix = filter.cwdPrefix.replace(/\/+$/, "");
      params.push(prefix, prefix.length + 1, `${prefix}/`);
    }
    if (filter.since !== undefined) {
      where.push("last_active_at >= ?");
      params.push(filter.since);
    }
    const sql = `SELECT * FROM files ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY last_active_at DESC NULLS LAST LIMIT ?`;
    params.push(filter.limit);
    return (this.db.query(sql).all(...params) as FileRow[]).map(toIndexed);
  }

  /** Files whose conversation id starts with `prefix`, or whose title is `title` exactly. */
  lookup(prefix: string): IndexedFile[] {
    const rows = this.db
      .query("SELECT * FROM files WHERE substr(id, 1, ?) = ? OR custom_title = ? OR title = ? ORDER BY last_active_at DESC LIMIT 50")
      .all(prefix.length, prefix, prefix, prefix) as FileRow[];
    return rows.map(toIndexed);
  }

  /**
   * Full-text search: the best-ranked text rows first, one per file, with a snippet around
   * the hit. `match` is an FTS5 query the caller built from quoted terms (see search.ts).
   */
  search(match: string, limit: number): { file: IndexedFile; snippet: string; rank: number }[] {
    const ranked = this.db
      .query("SELECT rowid, file, bm25(texts) AS rank FROM texts WHERE texts MATCH ? ORDER BY rank LIMIT ?")
      .all(match, limit * 4) as { rowid: number; file: number; rank: number }[];
    const best = new Map<number, { rowid: number; rank: number }>();
    for (const hit of ranked) if (!best.has(hit.file)) best.set(hit.file, hit);
    const snippet = this.db.query("SELECT snippet(texts, 0, char(2), char(3), '…', 12) AS snippet FROM texts WHERE texts MATCH ? AND rowid = ?");
    const fileRow = this.db.query("SELECT * FROM files WHERE file = ?");
    const results: { file: IndexedFile; snippet: string; rank: number }[] = [];
    for (const [file, hit] of best) {
      if (results.length >= limit) break;
      const row = fileRow.get(file) as FileRow | null;
      if (!row) continue;
      const text = (snippet.get(match, hit.rowid) as { snippet: string } | null)?.snippet ?? "";
      results.push({ file: toIndexed(row), snippet: text, rank: hit.rank });
    }
    return results;
  }

  /** Counts for `--stats`: files, bytes, and what was skipped and why. */
  totals(): { files: number; bytes: number; textRows: number } {
    const files = this.db.query("SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM files").get() as { n: number; bytes: number };
    const texts = this.db.query("SELECT count(*) AS n FROM texts").get() as { n: number };
    return { files: files.n, bytes: files.bytes, textRows: texts.n };
  }

  /** Each id's title as a person or claude gave it (never the first prompt); ids not indexed are left out. */
  titlesOf(ids: readonly string[]): Map<string, string | null> {
    const titles = new Map<string, string | null>();
    if (ids.length === 0) return titles;
    const rows = this.db.query(`SELECT id, facts FROM files WHERE id IN (${ids.map(() => "?").join(",")}) ORDER BY last_active_at`).all(...ids) as { id: string; facts: string }[];
    for (const row of rows) {
      const facts = JSON.parse(row.facts) as ConversationFacts;
      titles.set(row.id, facts.customTitle ?? facts.aiTitle ?? null);
    }
    return titles;
  }

  /** Every indexed file with its facts (tidying looks at all of them). */
  everyFile(): IndexedFile[] {
    return (this.db.query("SELECT * FROM files ORDER BY last_active_at").all() as FileRow[]).map(toIndexed);
  }

  allFacts(): ConversationFacts[] {
    return (this.db.query("SELECT facts FROM files").all() as { facts: string }[]).map((row) => JSON.parse(row.facts) as ConversationFacts);
  }
}

function openIndex(path: string): Database {
  mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
  const db = new Database(path, { create: true });
  try {
    db.exec("PRAGMA busy_timeout = 10000;");
    // Two processes opening a new index at once: the switch to WAL can answer BUSY at once.
    retryWhileBusy(() => {
      if ((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode !== "wal") db.exec("PRAGMA journal_mode = WAL");
    });
    // A cache: losing the last commits to a power cut costs a rescan, never data.
    db.exec("PRAGMA synchronous = OFF;");
    const version = () => (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    // The common case reads the version only: no write lock to wait for while a hub's worker writes.
    if (version() === INDEX_SCHEMA) return db;
    db.transaction(() => {
      if (version() === INDEX_SCHEMA) return;
      for (const { name, type } of db.query("SELECT name, type FROM sqlite_master WHERE type IN ('table') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'texts_%'").all() as { name: string; type: string }[]) {
        db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
      }
      db.exec(SCHEMA);
      db.exec(`PRAGMA user_version = ${INDEX_SCHEMA}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
