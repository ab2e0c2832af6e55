import type { FileStamp } from "../../host/runner.ts";

// Whether the uncommitted half of a session's diff, as counted last time, still holds: pure,
// so every case is tested without git. What git reports for the working tree against HEAD
// changes only where `git status` or a listed file's stamp changed; a file that changed
// shortly before it was stamped may change again within the same clock tick unseen, so it
// is never trusted (git's own "racily clean" rule, with a wide margin).

/** A stamp this close to (or after) the pass that took it is not trusted. */
export const RACY_MS = 1_000;

/** Status codes of a file that is only modified (staged or not): git's rename detection never pairs it. */
const MODIFIED_ONLY = new Set([" M", "M ", "MM"]);

export interface CountedTree {
  /** HEAD's commit id when counted. */
  head: string;
  /** When the pass began (ms): stamps changed since then may not match what git read. */
  countedAt: number;
  /** path → two-letter status code, from `git status --porcelain=v1 -z --no-renames`. */
  status: Record<string, string>;
  /** path → stamp key of a listed file (absent: the file was gone). */
  stamps: Record<string, string>;
}

export type WorkingTreePlan = { kind: "reuse" } | { kind: "recount"; paths: string[] } | { kind: "full" };

/** `git status --porcelain=v1 -z --no-renames` as path → status code. */
export function parseTrackedStatus(output: string): Record<string, string> {
  const status: Record<string, string> = {};
  for (const entry of output.split("\0")) if (entry.length >= 4) status[entry.slice(3)] = entry.slice(0, 2);
  return status;
}

/**
 * What the last count still tells, given HEAD, the status and the listed files' stamps now:
 * all of it; all but some modified files, counted again alone; or nothing.
 */
export function planWorkingTree(last: CountedTree | null, head: string, status: Record<string, string>, stamps: Record<string, FileStamp | null>): WorkingTreePlan {
  if (!last || last.head !== head) return { kind: "full" };
  const changed: string[] = [];
  for (const path of new Set([...Object.keys(last.status), ...Object.keys(status)])) {
    const before = last.status[path];
    const now = status[path];
    const stamp = stamps[path] ?? null;
    const same = before === now && (last.stamps[path] ?? null) === (stamp?.key ?? null) && !(stamp && stamp.changedMs >= last.countedAt - RACY_MS);
    if (same) continue;
    // An added or deleted file may be half of a rename git pairs with another: only a whole count says.
    if ((before !== undefined && !MODIFIED_ONLY.has(before)) || (now !== undefined && !MODIFIED_ONLY.has(now))) return { kind: "full" };
    changed.push(path);
  }
  return changed.length === 0 ? { kind: "reuse" } : { kind: "recount", paths: changed.sort() };
}
