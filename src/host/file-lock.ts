import type { HostFiles } from "./runner.ts";
import { CsmError } from "../shared/errors.ts";
import { processRuns } from "../shared/process-alive.ts";

// A lock file holding its owner's pid, made with O_EXCL. Used where two csm processes
// must take turns: git worktree changes on one repository, writes to the config file.
// A lock whose owner is gone (exited, even if not yet reaped) is taken over.

const WAIT_MS = 30_000;
const POLL_MS = 25;
/**
 * A lock file without a pid (empty, or cut short) is one being written between its creation
 * and its content, for a moment; or one whose writer died in that moment, which no pid will
 * ever free. Seen so this long, it is taken over.
 */
const UNNAMED_GRACE_MS = 2_000;

export async function withFileLock<T>(files: HostFiles, path: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  const unnamed = new UnnamedSince();
  while (!(await files.createExclusive(path, String(process.pid)))) {
    const text = await files.read(path);
    if (text === null) continue; // released meanwhile
    const owner = pidIn(text);
    if (owner !== null ? !processRuns(owner) : unnamed.longerThan(path, text, UNNAMED_GRACE_MS)) {
      await removeIfStill(files, path, text, unnamed);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CsmError("LockBusy", `another csm (${owner === null ? "no pid written" : `pid ${owner}`}) has held ${what} for ${WAIT_MS / 1000} s; if none runs, remove ${path}`);
    }
    await Bun.sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await files.remove(path);
  }
}

/** The pid a lock file names; null while it is being written (empty) or names none. */
function pidIn(text: string): number | null {
  const owner = Number(text);
  return text !== "" && Number.isInteger(owner) && owner > 0 ? owner : null;
}

/** Since when this waiter has seen each lock file hold the same text without a pid. */
class UnnamedSince {
  private readonly seen = new Map<string, { text: string; since: number }>();

  longerThan(path: string, text: string, ms: number): boolean {
    const before = this.seen.get(path);
    if (before?.text !== text) {
      this.seen.set(path, { text, since: Date.now() });
      return false;
    }
    return Date.now() - before.since > ms;
  }
}

/**
 * Removes a dead owner's lock. Several waiters can find it dead at once: if each removed
 * what it found, a late one would remove the lock an early one had just taken. So only
 * the holder of a second lock, `<path>.takeover`, removes it, and only after reading
 * that it still holds what the waiter found (`seen`).
 */
async function removeIfStill(files: HostFiles, path: string, seen: string, unnamed: UnnamedSince): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await files.createExclusive(guard, String(process.pid)))) {
    // Another waiter is taking over; a guard left by a waiter that died meanwhile is cleared.
    const text = (await files.read(guard)) ?? "";
    const guardOwner = pidIn(text);
    if (guardOwner !== null ? !processRuns(guardOwner) : unnamed.longerThan(guard, text, UNNAMED_GRACE_MS)) await files.remove(guard);
    else await Bun.sleep(POLL_MS / 5);
    return;
  }
  try {
    if ((await files.read(path)) === seen) await files.remove(path);
  } finally {
    await files.remove(guard);
  }
}
