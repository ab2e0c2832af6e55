// Parsers for git's machine-readable output.

export interface WorktreeEntry {
  path: string;
  head: string | null;
  /** Full ref, e.g. refs/heads/main; null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  prunable: boolean;
}

/** `git worktree list --porcelain`: blocks of `key value` lines separated by blank lines. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of output.split(/\n\n+/)) {
    const lines = block.split("\n").filter((line) => line !== "");
    if (lines.length === 0) continue;
    const entry: WorktreeEntry = { path: "", head: null, branch: null, bare: false, detached: false, locked: false, prunable: false };
    for (const line of lines) {
      const space = line.indexOf(" ");
      const key = space === -1 ? line : line.slice(0, space);
      const value = space === -1 ? "" : line.slice(space + 1);
      if (key === "worktree") entry.path = value;
      else if (key === "HEAD") entry.head = value;
      else if (key === "branch") entry.branch = value;
      else if (key === "bare") entry.bare = true;
      else if (key === "detached") entry.detached = true;
      else if (key === "locked") entry.locked = true;
      else if (key === "prunable") entry.prunable = true;
    }
    if (entry.path !== "") entries.push(entry);
  }
  return entries;
}

/** `git status --porcelain=v1 -z`: NUL-separated `XY path` entries (renames carry a second path). */
export function parseStatusZ(output: string): string[] {
  const files: string[] = [];
  const parts = output.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length < 4) continue;
    const code = part.slice(0, 2);
    files.push(`${code.trim() || "??"} ${part.slice(3)}`);
    if (code[0] === "R" || code[0] === "C") i++;
  }
  return files;
}

/** "git version 2.39.5" → [2, 39]. */
export function parseGitVersion(output: string): [number, number] | null {
  const match = /git version (\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : null;
}
