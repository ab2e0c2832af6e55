import type { HostFiles } from "./runner.ts";
import { CsmError } from "../shared/errors.ts";
import { processRuns } from "../shared/process-alive.ts";

// A lock file holding its owner's pid, made with O_EXCL. Used where two csm processes
// must take turns: git worktree changes on one repository, writes to the config file.
// A lock whose owner is gone (exited, even if not yet reaped) is taken over.

const WAIT_MS = 30_000;
const POLL_MS = 25;

export async function withFileLock<T>(files: HostFiles, path: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await files.createExclusive(path, String(process.pid)))) {
    const owner = await ownerOf(files, path);
    if (owner !== null && !processRuns(owner)) {
      await removeIfStill(files, path, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CsmError("LockBusy", `another csm (pid ${owner}) has held ${what} for ${WAIT_MS / 1000} s; if none runs, remove ${path}`);
    }
    await Bun.sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await files.remove(path);
  }
}

/** The pid in a lock file; null while it is being written (empty) or gone. */
async function ownerOf(files: HostFiles, path: string): Promise<number | null> {
  const owner = Number((await files.read(path)) ?? "");
  return Number.isInteger(owner) && owner > 0 ? owner : null;
}

/**
 * Removes a dead owner's lock. Several waiters can find it dead at once: if each removed
 * what it found, a late one would remove the lock an early one had just taken. So only
 * the holder of a second lock, `<path>.takeover`, removes it, and only after reading
 * that it still names the dead owner.
 */
async function removeIfStill(files: HostFiles, path: string, deadOwner: number): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await files.createExclusive(guard, String(process.pid)))) {
    // Another waiter is taking over; a guard left by a waiter that died meanwhile is cleared.
    const guardOwner = await ownerOf(files, guard);
    if (guardOwner !== null && !processRuns(guardOwner)) await files.remove(guard);
    else await Bun.sleep(POLL_MS / 5);
    return;
  }
  try {
    if ((await ownerOf(files, path)) === deadOwner) await files.remove(path);
  } finally {
    await files.remove(guard);
  }
}
