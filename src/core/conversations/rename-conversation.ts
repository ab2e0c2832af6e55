import { appendFileSync, closeSync, openSync, readSync, statSync } from "node:fs";
import { usageError } from "../../shared/errors.ts";
import { CsmError } from "../../shared/errors.ts";

// Naming a conversation the way claude's own `/rename` does: a `custom-title` record in its
// transcript, which claude's `--resume` picker, `csm history` and the dashboard show. A
// running claude is asked to write it itself (`rename_session` over the live link, see
// hub/routes/conversation-routes.ts); otherwise csm appends the record, in one write, only
// while no claude process holds the file.

export const MAX_TITLE_CHARS = 200;

/** A title a person gave: one line of printable text. */
export function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === "") throw usageError("give a title (one line of text)");
  if (trimmed.length > MAX_TITLE_CHARS) throw usageError(`a title has at most ${MAX_TITLE_CHARS} characters`);
  if (/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) throw usageError("a title is one line of printable text (no control characters)");
  return trimmed;
}

/** The record claude writes for `/rename` (test/fixtures/claude-transcript-facts.md). */
export const titleRecord = (id: string, title: string) => `${JSON.stringify({ type: "custom-title", customTitle: title, sessionId: id })}\n`;

/**
 * Appends the title record in one write. A transcript whose last line has no newline (a
 * claude killed mid-write) gets one first, so the record is a line of its own.
 */
export function appendTitle(transcriptPath: string, id: string, title: string): void {
  const stat = statSync(transcriptPath, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new CsmError("NoSuchConversation", `the transcript of ${id} is gone (${transcriptPath})`, { data: { id } });
  const prefix = stat.size > 0 && lastByte(transcriptPath, stat.size) !== 0x0a ? "\n" : "";
  appendFileSync(transcriptPath, prefix + titleRecord(id, title));
}

function lastByte(path: string, size: number): number {
  const fd = openSync(path, "r");
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, size - 1);
    return byte[0]!;
  } finally {
    closeSync(fd);
  }
}
