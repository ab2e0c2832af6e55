// Parsers for what `git diff` and friends print for a session's diff. Pure, so they are
// tested on output recorded from real git (test/fixtures/recorded/). Every list is read
// with -z: paths come unquoted and may hold tabs, newlines or a leading colon.

/** What git says of one path: its status letter as a word, and its line counts. */
export interface ChangedPath {
  path: string;
  /** The old path of a rename or copy, else null. */
  oldPath: string | null;
  status: "added" | "modified" | "deleted" | "renamed" | "type-changed";
  binary: boolean;
  added: number;
  removed: number;
}

const STATUS: Record<string, ChangedPath["status"]> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  // A copy is a new file as far as a reviewer is concerned; its source stays as oldPath.
  C: "added",
  T: "type-changed",
  // Unmerged (a conflict in the worktree) and unknown: the file differs, nothing more is sure.
  U: "modified",
  X: "modified",
};

interface Counts {
  binary: boolean;
  added: number;
  removed: number;
}

/**
 * `git diff --raw --numstat -z -M`: first one raw entry per path (`:modes shas STATUS\0path\0`,
 * a rename or copy `...R100\0old\0new\0`), then one numstat entry per path (`A\tR\tpath\0`, a
 * rename `A\tR\t\0old\0new\0`; a binary file counts `-\t-`). Both lists in the same order;
 * they are joined by path because the raw list carries the status and numstat the counts.
 */
export function parseRawNumstatZ(output: string): ChangedPath[] {
  const tokens = output.split("\0");
  const entries: ChangedPath[] = [];
  const counts = new Map<string, Counts>();
  let i = 0;
  // Raw entries: each header is followed by its path(s), so a path that starts with ':' is never read as a header.
  while (i < tokens.length && tokens[i]!.startsWith(":")) {
    const header = tokens[i++]!;
    const letter = header.slice(header.lastIndexOf(" ") + 1, header.lastIndexOf(" ") + 2);
    const twoPaths = letter === "R" || letter === "C";
    const oldPath = twoPaths ? tokens[i++]! : null;
    const path = tokens[i++]!;
    entries.push({ path, oldPath, status: STATUS[letter] ?? "modified", binary: false, added: 0, removed: 0 });
  }
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "") continue;
    // Split at the first two tabs only: the path itself may hold tabs.
    const first = token.indexOf("\t");
    const second = token.indexOf("\t", first + 1);
    const added = token.slice(0, first);
    const removed = token.slice(first + 1, second);
    const path = token.slice(second + 1);
    const binary = added === "-" && removed === "-";
    // A rename leaves the path field empty and gives the old and new paths as the next two tokens.
    const key = path === "" ? tokens[(i += 2)]! : path;
    counts.set(key, { binary, added: binary ? 0 : Number(added) || 0, removed: binary ? 0 : Number(removed) || 0 });
  }
  for (const entry of entries) Object.assign(entry, counts.get(entry.path) ?? {});
  return entries;
}

/** A NUL-separated list of paths (`git ls-files -z`). */
export function parsePathsZ(output: string): string[] {
  return output.split("\0").filter((path) => path !== "");
}

/** `git rev-list --left-right --count BASE...HEAD`: "behind\tahead" (the left side is the base). */
export function parseLeftRightCount(output: string): { ahead: number; behind: number } {
  const [left, right] = output.trim().split(/\s+/);
  return { behind: Number(left) || 0, ahead: Number(right) || 0 };
}

/** How far git looks for a NUL to call a file binary; the same for untracked files here. */
export const BINARY_PROBE_LENGTH = 8000;

/** A file's content as git judges it for numstat: binary when a NUL is in its first 8000 bytes. */
export function looksBinary(content: string): boolean {
  return content.slice(0, BINARY_PROBE_LENGTH).includes("\0");
}

/** Lines as git counts them: a last line without a newline is a line too. */
export function countLines(content: string): number {
  if (content === "") return 0;
  let lines = 0;
  for (let at = content.indexOf("\n"); at !== -1; at = content.indexOf("\n", at + 1)) lines++;
  return content.endsWith("\n") ? lines : lines + 1;
}
