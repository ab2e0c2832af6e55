import { CsmError } from "../../shared/errors.ts";
import { processAlive } from "../../shared/process-alive.ts";
import type { Context } from "../context.ts";

// git races when two `git worktree add`/`remove` run on one repository at once (one reads
// the other's half-written .git/worktrees entry), which is what `for t in a b; do csm
// create $t & done` does. csm serialises them per repository with a lock file in its
// state dir holding the owner's pid; a lock whose owner is gone is taken over.

const WAIT_MS = 30_000;
const POLL_MS = 25;

const lockName = (repo: string) => `repo-${Bun.hash(repo).toString(16)}.lock`;

export async function withRepoLock<T>(ctx: Context, repo: string, work: () => Promise<T>): Promise<T> {
  const path = `${ctx.settings.paths.stateDir}/locks/${lockName(repo)}`;
  const files = ctx.host.files;
  const deadline = Date.now() + WAIT_MS;
  while (!(await files.createExclusive(path, String(process.pid)))) {
    const owner = Number((await files.read(path)) ?? "");
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      await files.remove(path);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CsmError("RepoBusy", `another csm (pid ${owner}) has held ${repo} for ${WAIT_MS / 1000} s; if none runs, remove ${path}`);
    }
    await Bun.sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await files.remove(path);
  }
}
