import { createHash } from "node:crypto";

// Comparing two copies of one conversation without clobbering either. claude only appends to a
// transcript, so copies are compared by the `uuid`s of their records: when one side's list is a
// prefix of the other's, the longer one is the same conversation further on (fast-forward);
// when both grew past a common point they diverged, and neither may replace the other.

export type Relation = "same" | "ahead" | "behind" | "diverged";

/** The text up to and including its last newline: a line being written is left for next time. */
export function completeLines(text: string): string {
  const end = text.lastIndexOf("\n");
  return end === -1 ? "" : text.slice(0, end + 1);
}

/** The `uuid` of every record that has one, in file order (metadata records have none). */
export function uuidsOf(text: string): string[] {
  const uuids: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes('"uuid"')) continue;
    try {
      const record = JSON.parse(line) as { uuid?: unknown };
      if (typeof record.uuid === "string") uuids.push(record.uuid);
    } catch {
      // A line that is not JSON carries no record to compare.
    }
  }
  return uuids;
}

const isPrefix = (short: readonly string[], long: readonly string[]) => short.length <= long.length && short.every((value, i) => long[i] === value);

/** How `mine` stands to `theirs`: ahead (mine is theirs and more), behind, same, or diverged. */
export function relationOf(mine: string, theirs: string): Relation {
  if (mine === theirs) return "same";
  // Same bytes so far: one is the other with lines appended (metadata re-appended included).
  if (mine.startsWith(theirs)) return "ahead";
  if (theirs.startsWith(mine)) return "behind";
  const a = uuidsOf(mine);
  const b = uuidsOf(theirs);
  if (a.length === b.length && isPrefix(a, b)) {
    // The same records, different metadata lines (a title set on one side): the longer one wins.
    return mine.length >= theirs.length ? "ahead" : "behind";
  }
  if (isPrefix(b, a)) return "ahead";
  if (isPrefix(a, b)) return "behind";
  return "diverged";
}

/**
 * A conversation id made from a seed, in claude's UUID form, so a fork has the same id on every
 * machine that makes it (pulling twice never makes two forks of one divergence).
 */
export function derivedId(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The transcript as conversation `to`: every `"sessionId":"from"` becomes `"sessionId":"to"`, so
 * `claude --resume to` treats the copy as its own conversation. Applying it back restores the bytes.
 */
export function withSessionId(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text.split(`"sessionId":"${from}"`).join(`"sessionId":"${to}"`);
}

/** The working directory the transcript's records name (the first one), or null. */
export function cwdOf(text: string): string | null {
  const match = /"cwd":"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!match) return null;
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return null;
  }
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
