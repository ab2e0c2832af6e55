import type { HostFiles } from "../host/runner.ts";
import { CsmError } from "./errors.ts";
import { processAlive } from "./process-alive.ts";

// A lock file holding its owner's pid, made with O_EXCL. Used where two csm processes
// must take turns: git worktree changes on one repository, writes to the config file.
// A lock whose owner is gone is taken over.

const WAIT_MS = 30_000;
const POLL_MS = 25;

export async function withFileLock<T>(files: HostFiles, path: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await files.createExclusive(path, String(process.pid)))) {
    const owner = Number((await files.read(path)) ?? "");
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      await files.remove(path);
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
