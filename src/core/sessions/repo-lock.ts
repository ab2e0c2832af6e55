import { withFileLock } from "../../host/file-lock.ts";
import type { Context } from "../context.ts";

// git races when two `git worktree add`/`remove` run on one repository at once (one reads
// the other's half-written .git/worktrees entry), which is what `for t in a b; do csm
// create $t & done` does. csm serialises them per repository.

const lockName = (repo: string) => `repo-${Bun.hash(repo).toString(16)}.lock`;

export function withRepoLock<T>(ctx: Context, repo: string, work: () => Promise<T>): Promise<T> {
  return withFileLock(ctx.host.files, `${ctx.settings.paths.stateDir}/locks/${lockName(repo)}`, repo, work);
}
