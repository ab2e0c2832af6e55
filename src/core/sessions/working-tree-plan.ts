import type { FileStamp } from "../../host/runner.ts";

// Whether the uncommitted half of a session's diff, as counted last time, still holds: pure,
// so every case is tested without git. What git reports for the working tree against HEAD
// changes only where `git status` or a listed file's stamp changed, or where what git reads
// to count (its config, attributes files) changed. A file that changed shortly before it
// was stamped may change again within the same clock tick unseen, so it is never trusted
// (git's own "racily clean" rule, with a wide margin).

/** A stamp this close to (or after) the pass that took it is not trusted. */
export const RACY_MS = 1_000;

/** Status codes of a file that is only modified (staged or not): git's rename detection never pairs it. */
const MODIFIED_ONLY = new Set([" M", "M ", "MM"]);

/** The status code given to an untracked file that changes how git counts others (.gitattributes). */
export const UNTRACKED = "??";

export interface CountedTree {
  /** HEAD's commit id when counted. */
  head: string;
  /** When the pass began (ms): stamps changed since then may not match what git read. */
  countedAt: number;
  /** path → two-letter status code, from `git status --porcelain=v1 -z --no-renames`. */
  status: Record<string, string>;
  /** path → stamp key of a listed file (absent: the file was gone). */
  stamps: Record<string, string>;
  /** What else git's count depends on (its config and attributes files, GIT_* variables) → a key; null: absent. */
  settings: Record<string, string | null>;
}

export type WorkingTreePlan = { kind: "reuse" } | { kind: "recount"; paths: string[] } | { kind: "full" };

/** A record's own value: a path may be called `__proto__` or `constructor`. */
export const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** `git status --porcelain=v1 -z --no-renames`: tracked paths → status code, and the untracked paths (`??`) apart. */
export function parseWorkingTreeStatus(output: string): { tracked: Record<string, string>; untracked: string[] } {
  const tracked: Record<string, string> = {};
  const untracked: string[] = [];
  for (const entry of output.split("\0")) {
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    if (code === UNTRACKED) untracked.push(path);
    // defineProperty: a path may be called `__proto__`.
    else Object.defineProperty(tracked, path, { value: code, enumerable: true, writable: true, configurable: true });
  }
  return { tracked, untracked };
}

/** A `.gitattributes` file, at the top or in any directory. */
export const isAttributesFile = (path: string) => path === ".gitattributes" || path.endsWith("/.gitattributes");

/**
 * What the last count still tells, given HEAD, the status, the listed files' stamps and the
 * settings now: all of it; all but some modified files, counted again alone; or nothing.
 */
export function planWorkingTree(
  last: CountedTree | null,
  head: string,
  status: Record<string, string>,
  stamps: Record<string, FileStamp | null>,
  settings: Record<string, string | null>,
): WorkingTreePlan {
  if (!last || last.head !== head) return { kind: "full" };
  const settingNames = new Set([...Object.keys(last.settings), ...Object.keys(settings)]);
  for (const name of settingNames) if ((own(last.settings, name) ?? null) !== (own(settings, name) ?? null)) return { kind: "full" };
  const changed: string[] = [];
  for (const path of new Set([...Object.keys(last.status), ...Object.keys(status)])) {
    const before = own(last.status, path);
    const now = own(status, path);
    const stamp = own(stamps, path) ?? null;
    // A modified file lstat cannot see (a name git spells in bytes that are not UTF-8): only a whole count finds it.
    if (now !== undefined && MODIFIED_ONLY.has(now) && stamp === null) return { kind: "full" };
    // A submodule's directory keeps its stamp when a commit is made in it: always asked again.
    const trusted = stamp === null || (stamp.kind !== "directory" && stamp.changedMs < last.countedAt - RACY_MS);
    if (before === now && (own(last.stamps, path) ?? null) === (stamp?.key ?? null) && trusted) continue;
    // An added or deleted file may be half of a rename git pairs with another, and attributes change how others are counted.
    if (isAttributesFile(path)) return { kind: "full" };
    if ((before !== undefined && !MODIFIED_ONLY.has(before)) || (now !== undefined && !MODIFIED_ONLY.has(now))) return { kind: "full" };
    changed.push(path);
  }
  return changed.length === 0 ? { kind: "reuse" } : { kind: "recount", paths: changed.sort() };
}
