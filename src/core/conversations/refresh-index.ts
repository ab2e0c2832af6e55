import { listTranscripts, readRangeOf, type RangeRead, type ScanProblem, type TranscriptFile } from "../../adapters/claude-files.ts";
import type { ConversationIndex, FileUpdate } from "../../store/conversation-index.ts";
import { emptyFacts, type ConversationFacts } from "./conversation-facts.ts";
import { foldTranscript } from "./transcript-fold.ts";

// Brings the index up to date with the transcripts on disk, reading only what changed: a
// file whose size and mtime are unchanged is not opened; one that grew is read from where
// the last pass stopped; one that shrank or was replaced is read again from the start.
// Passes are written in batches, each checked against the row it started from, so two
// processes refreshing at once each write only what the other did not.

/** A batch is written when it holds this many files or this many bytes were read. */
const BATCH_FILES = 500;
const BATCH_BYTES = 64 * 1024 * 1024;

export interface RefreshReport {
  files: number;
  /** Files opened and read in this pass. */
  read: number;
  bytesRead: number;
  removed: number;
  problems: ScanProblem[];
  ms: number;
}

export const LAST_REFRESH_KEY = "last_refresh_at";
export const LAST_OPTIMIZE_KEY = "last_optimize_at";
/** A pass that read this many files (a first index, a catch-up) merges the text index after. */
const OPTIMIZE_AFTER_FILES = 100;
/** Otherwise it is merged at most this often, after a pass that wrote anything. */
const OPTIMIZE_EVERY_MS = 60 * 60_000;
/** A pass that changed nothing records its time at most this often (`--stats` shows it). */
const REFRESH_STAMP_MS = 1_000;

const sameProblems = (stored: readonly ScanProblem[], found: readonly ScanProblem[]) => {
  if (stored.length !== found.length) return false;
  const key = (problem: ScanProblem) => `${problem.path}\0${problem.reason}`;
  const have = new Set(stored.map(key));
  return found.every((problem) => have.has(key(problem)));
};

/** How a pass reads a transcript's bytes; a test passes one that meets a race or an error. */
export type TranscriptReader = (path: string, from: number, to: number) => RangeRead;

export function refreshIndex(index: ConversationIndex, configDir: string, now: () => number = Date.now, readBytes: TranscriptReader = readRangeOf): RefreshReport {
  const started = performance.now();
  const listing = listTranscripts(configDir);
  const known = index.allFiles();
  const problems = [...listing.problems];
  let batch: FileUpdate[] = [];
  let batchBytes = 0;
  let read = 0;
  let bytesRead = 0;
  let batchesWritten = 0;
  const flush = () => {
    if (batch.length > 0) {
      index.apply(batch, []);
      batchesWritten += 1;
    }
    batch = [];
    batchBytes = 0;
  };
  for (const file of listing.files) {
    const before = known.get(file.path);
    known.delete(file.path);
    if (before && before.size === file.size && before.mtimeMs === file.mtimeMs && before.subagents === file.subagents) continue;
    const update = passOver(index, file, before ?? null, readBytes);
    if ("failure" in update) {
      // Not indexed, so the next pass tries it again; what was indexed of it stays.
      problems.push({ path: file.path, reason: update.failure === "ENOENT" ? "vanished while being read" : `cannot be read: ${update.failure}` });
      continue;
    }
    if (update.bytes > 0) {
      read += 1;
      bytesRead += update.bytes;
      batchBytes += update.bytes;
    }
    batch.push(update);
    if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) flush();
  }
  flush();
  const removed = [...known.keys()];
  if (removed.length > 0) index.apply([], removed);
  // A query that found nothing new writes nothing: no write lock taken, no page written.
  const problemsChanged = !sameProblems(index.problems(), problems);
  if (problemsChanged) index.setProblems(problems);
  const lastOptimized = Number(index.getMeta(LAST_OPTIMIZE_KEY) ?? 0);
  if ((read >= OPTIMIZE_AFTER_FILES || (read > 0 && now() - lastOptimized >= OPTIMIZE_EVERY_MS)) && index.optimize()) index.setMeta(LAST_OPTIMIZE_KEY, String(now()));
  const changed = batchesWritten > 0 || removed.length > 0 || problemsChanged;
  if (changed || now() - Number(index.getMeta(LAST_REFRESH_KEY) ?? 0) >= REFRESH_STAMP_MS) index.setMeta(LAST_REFRESH_KEY, String(now()));
  return { files: listing.files.length, read, bytesRead, removed: removed.length, problems, ms: performance.now() - started };
}

type Before = { size: number; mtimeMs: number; offset: number; subagents: number } | null;

function passOver(index: ConversationIndex, file: TranscriptFile, before: Before, readBytes: TranscriptReader): (FileUpdate & { bytes: number }) | { failure: string } {
  // Only new bytes are read when the file grew past what was indexed; anything else
  // (new, shrunk, rewritten) is read whole.
  const grew = before !== null && file.size >= before.size && file.size >= before.offset && file.mtimeMs >= before.mtimeMs;
  const stored = grew ? index.fileByPath(file.path) : null;
  const resume = grew && stored !== null;
  const from = resume ? stored.offset : 0;
  const facts: ConversationFacts = resume ? stored.facts : emptyFacts(file.id);
  const titlesBefore = [facts.customTitle, facts.aiTitle];
  let consumed = 0;
  let texts: string[] = [];
  let bytes = 0;
  if (file.size > from) {
    const chunk = readBytes(file.path, from, file.size);
    if ("failure" in chunk) return chunk;
    bytes = chunk.bytes.length;
    ({ consumed, texts } = foldTranscript(facts, chunk.bytes));
  }
  // Titles are searched too: a new one is added (an old one stays findable, as it was said).
  for (const [i, title] of [facts.customTitle, facts.aiTitle].entries()) if (title && title !== titlesBefore[i]) texts.push(title);
  return {
    path: file.path,
    id: file.id,
    project: file.project,
    size: file.size,
    mtimeMs: file.mtimeMs,
    offset: from + consumed,
    subagents: file.subagents,
    facts,
    texts,
    expected: before && { size: before.size, mtimeMs: before.mtimeMs, offset: before.offset },
    reset: !resume,
    bytes,
  };
}
