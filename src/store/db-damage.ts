import { Database } from "bun:sqlite";
import { CsmError } from "../shared/errors.ts";
import { tryStateLock } from "../shared/state-lock.ts";

// A state database SQLite cannot read (`file is not a database`: garbage or a foreign
// file; `database disk image is malformed`) is moved aside, never deleted, and csm starts
// a fresh one: every csm would fail on it otherwise, and the hub could not come back.
// Only while no hub has it open (see shared/state-lock.ts), so no process goes on writing
// to the file that was moved. A file left empty counts too (see EMPTY_FOR_MS).

/** What a fresh store cannot know, said whenever one replaces a damaged file. */
export const LOST_WITH_STORE =
  "lost: session records (repo, branch, options, agent secrets), event history and last known states; sessions still in tmux are listed as not in csm's store, and their claude cannot relink";

const DAMAGE = /file is not a database|database disk image is malformed/i;

/**
 * SQLite reads an empty file as a new database, and every store is empty for the moment
 * between its creation and its first write. One that stayed empty this long lost its
 * content (a full disk, a truncation): it is damage, not a store being made.
 */
const EMPTY_FOR_MS = 5000;

export class EmptyStoreError extends Error {
  readonly code = "CSM_EMPTY_STORE";
  constructor() {
    super("the file is empty");
  }
}

/** Empty for longer than a store being created ever is (see EMPTY_FOR_MS). */
export function leftEmpty(path: string, now = Date.now()): boolean {
  const { statSync } = require("node:fs") as typeof import("node:fs");
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.size === 0 && now - stat.mtimeMs > EMPTY_FOR_MS;
}

/** Why SQLite cannot read the file, or null when the error is anything else. */
export function damageReason(error: unknown): string | null {
  const code = (error as { code?: string }).code;
  const message = String((error as Error).message ?? error);
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || code === "CSM_EMPTY_STORE" || DAMAGE.test(message) ? message : null;
}

/** Reads the header and the schema; a missing file reads as healthy (it will be created). */
function stillDamaged(path: string): boolean {
  if (leftEmpty(path)) return true;
  let db: Database;
  try {
    db = new Database(path, { readonly: true });
  } catch {
    return false;
  }
  try {
    db.query("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (error) {
    return damageReason(error) !== null;
  } finally {
    db.close();
  }
}

const stamp = (at: Date) => at.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");

/**
 * Moves a damaged database (with its -wal and -shm, which belong to it and would be
 * replayed into a fresh file) to `<path>.corrupt-<time>`. Returns where, or null when
 * another csm already did. Throws when a running hub holds the state dir.
 */
export function moveDamagedAside(path: string, reason: string, now = new Date()): string | null {
  const stateDir = path.slice(0, path.lastIndexOf("/"));
  const lock = tryStateLock(stateDir);
  if (!lock.acquired) {
    throw new CsmError(
      "StoreDamaged",
      `the state database ${path} cannot be read (${reason}) and the hub (pid ${lock.owner.pid}) has it open; run \`csm server stop\`, then any csm command moves it aside`,
      { data: { path } },
    );
  }
  try {
    if (!stillDamaged(path)) return null;
    const { existsSync, renameSync } = require("node:fs") as typeof import("node:fs");
    const aside = `${path}.corrupt-${stamp(now)}`;
    renameSync(path, aside);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    return aside;
  } finally {
    lock.release();
  }
}

/** Damaged stores moved aside in this state dir, oldest first (file names only). */
export function damagedStores(stateDir: string, database = "csm.sqlite"): string[] {
  const { readdirSync } = require("node:fs") as typeof import("node:fs");
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(`${database}.corrupt-`) && !/-(wal|shm)$/.test(name)).sort();
}

/**
 * For `csm doctor`: whether the store reads, without creating or changing it. `quick_check`
 * reads every page, so it finds damage that opening alone does not.
 */
export function checkDatabase(path: string): { ok: true; detail: string } | { ok: false; detail: string } {
  if (leftEmpty(path)) return { ok: false, detail: `${path} is empty: its content is lost` };
  let db: Database;
  try {
    db = new Database(path, { readonly: true });
  } catch {
    return { ok: true, detail: `${path} does not exist yet (csm creates it)` };
  }
  try {
    const rows = db.query("PRAGMA quick_check").all() as { quick_check: string }[];
    const problems = rows.map((row) => row.quick_check).filter((text) => text !== "ok");
    return problems.length === 0 ? { ok: true, detail: `${path} reads cleanly` } : { ok: false, detail: `${path} is damaged: ${problems.slice(0, 3).join("; ")}` };
  } catch (error) {
    return { ok: false, detail: `${path} cannot be read: ${(error as Error).message}` };
  } finally {
    db.close();
  }
}
