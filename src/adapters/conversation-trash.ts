import { createHash } from "node:crypto";
import { closeSync, cpSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

// csm's trash for conversations: each entry a directory under `<data>/csm/trash/` holding
// the transcript and its sub-agent folder at their paths relative to claude's config dir,
// and `entry.json` saying what, from where, when and why. Things are moved in by rename (a
// copy checked by checksum when the trash is on another filesystem) and moved back the same
// way; only `emptyEntry` deletes, and only what the trash holds.

export interface TrashEntry {
  /** The entry's directory name: unique, sortable by time. */
  entry: string;
  id: string;
  host: string;
  /** Claude's config dir the paths are relative to. */
  configDir: string;
  /** `projects/<slug>/<id>.jsonl` */
  transcript: string;
  /** `projects/<slug>/<id>` when it existed (sub-agents, titles). */
  folder: string | null;
  reason: string;
  trashedAt: string;
  sizeBytes: number;
  sha256: string;
}

export const ENTRY_FILE = "entry.json";
const FILES = "files";

export class TrashUnusable extends Error {}

export function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Fails, saying why, when nothing can be put in the trash (read-only, full disk): before anything moves. */
export function checkTrashWritable(trashDir: string): void {
  try {
    mkdirSync(trashDir, { recursive: true, mode: 0o700 });
    const probe = join(trashDir, `.probe-${process.pid}-${Date.now()}`);
    writeFileSync(probe, "x".repeat(4096));
    rmSync(probe);
  } catch (error) {
    throw new TrashUnusable(`the trash ${trashDir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was moved`);
  }
}

export interface MoveIn {
  trashDir: string;
  configDir: string;
  host: string;
  id: string;
  transcriptPath: string;
  reason: string;
  /** The file as the scan saw it: a file that differs now is not moved. */
  expected: { size: number; mtimeMs: number };
}

export type MoveResult = { moved: TrashEntry } | { skipped: string };

const sameFile = (path: string, expected: { size: number; mtimeMs: number }) => {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.size === expected.size && stat.mtimeMs === expected.mtimeMs;
};

/** Moves one conversation (transcript and folder) into a new trash entry. */
export function moveToTrash(request: MoveIn, now = new Date()): MoveResult {
  const { transcriptPath, configDir } = request;
  if (!existsSync(transcriptPath)) return { skipped: "already gone (moved by another csm?)" };
  if (!sameFile(transcriptPath, request.expected)) return { skipped: "changed since the scan (a claude may be writing it)" };
  const transcript = relative(configDir, transcriptPath);
  if (transcript.startsWith("..")) return { skipped: `not under ${configDir}` };
  const folderPath = transcriptPath.replace(/\.jsonl$/, "");
  const hasFolder = lstatSync(folderPath, { throwIfNoEntry: false })?.isDirectory() === true;
  const entry = `${now.toISOString().replace(/[:.]/g, "-")}-${request.id.slice(0, 8)}-${crypto.randomUUID().slice(0, 4)}`;
  const entryDir = join(request.trashDir, entry);
  const record: TrashEntry = {
    entry,
    id: request.id,
    host: request.host,
    configDir,
    transcript,
    folder: hasFolder ? relative(configDir, folderPath) : null,
    reason: request.reason,
    trashedAt: now.toISOString(),
    sizeBytes: request.expected.size,
    sha256: sha256Of(transcriptPath),
  };
  mkdirSync(join(entryDir, FILES, dirname(transcript)), { recursive: true, mode: 0o700 });
  writeDurably(join(entryDir, ENTRY_FILE), `${JSON.stringify(record, null, 2)}\n`);
  try {
    moveFile(transcriptPath, join(entryDir, FILES, transcript));
  } catch (error) {
    rmSync(entryDir, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { skipped: "already gone (moved by another csm?)" };
    throw error;
  }
  // A claude that woke up between the check and the move wrote into the moved file: put it
  // back. Its bytes tell, not its mtime: a copy to another filesystem keeps that only to the ms.
  const moved = join(entryDir, FILES, transcript);
  if (statSync(moved).size !== request.expected.size || sha256Of(moved) !== record.sha256) {
    moveFile(join(entryDir, FILES, transcript), transcriptPath);
    rmSync(entryDir, { recursive: true, force: true });
    return { skipped: "changed while being moved (a claude is writing it); put back" };
  }
  if (hasFolder) moveFile(folderPath, join(entryDir, FILES, record.folder!));
  return { moved: record };
}

/** Every entry of the trash, oldest first; unreadable ones are left out. */
export function readTrash(trashDir: string): TrashEntry[] {
  let names: string[];
  try {
    names = readdirSync(trashDir).sort();
  } catch {
    return [];
  }
  const entries: TrashEntry[] = [];
  for (const name of names) {
    try {
      entries.push(JSON.parse(readFileSync(join(trashDir, name, ENTRY_FILE), "utf8")) as TrashEntry);
    } catch {
      // A half-made entry (a move that failed) or something else: not ours to show.
    }
  }
  return entries;
}

export type RestoreResult = { restored: string } | { refused: string };

/** Puts an entry back where it was; refuses when something exists there again. */
export function restoreFromTrash(trashDir: string, entry: TrashEntry): RestoreResult {
  const entryDir = join(trashDir, entry.entry);
  const target = join(entry.configDir, entry.transcript);
  if (existsSync(target)) return { refused: `${target} exists again; move it away first` };
  if (entry.folder && existsSync(join(entry.configDir, entry.folder))) return { refused: `${join(entry.configDir, entry.folder)} exists again; move it away first` };
  const stored = join(entryDir, FILES, entry.transcript);
  if (sha256Of(stored) !== entry.sha256) return { refused: `the trashed copy ${stored} does not match its checksum; left in the trash` };
  mkdirSync(dirname(target), { recursive: true });
  moveFile(stored, target);
  if (entry.folder) moveFile(join(entryDir, FILES, entry.folder), join(entry.configDir, entry.folder));
  rmSync(entryDir, { recursive: true, force: true });
  return { restored: target };
}

/** The one permanent removal: an entry's directory, only inside the trash. */
export function emptyEntry(trashDir: string, entry: TrashEntry): void {
  if (!/^[0-9TZ-]+-[A-Za-z0-9._-]+-[0-9a-f]{4}$/.test(entry.entry)) throw new Error(`not a trash entry name: ${entry.entry}`);
  rmSync(join(trashDir, entry.entry), { recursive: true, force: true });
}

function writeDurably(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** rename(2); across filesystems a copy that is checked before the original goes. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    const before = statSync(from);
    cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    // Checked again just before the original goes: what was written to it meanwhile would go with it.
    const after = statSync(from);
    if (before.isFile() && (after.size !== before.size || after.mtimeMs !== before.mtimeMs || sha256Of(from) !== sha256Of(to))) {
      rmSync(to, { force: true });
      throw new Error(`copying ${from} to ${to} did not give the same bytes (it changed meanwhile?); the original stays`);
    }
    rmSync(from, { recursive: true, force: true });
  }
}
