import { withFileLock } from "../../host/file-lock.ts";
import type { HostFiles } from "../../host/runner.ts";
import type { Context } from "../context.ts";

// A native claude in a folder it was never told to trust stops at its trust dialog ("Do you
// trust the files in this folder?"), before any prompt or hook. csm made the worktree from
// the user's own repository, so it marks that one folder trusted in claude's own config,
// the only write csm makes there: one project entry's hasTrustDialogAccepted, written
// atomically, every other byte of the file kept. A file csm cannot read is left alone, and
// the session starts at claude's dialog instead.

/** claude's own config file: `$CLAUDE_CONFIG_DIR/.claude.json`, else `~/.claude.json`. */
export function claudeJsonPath(env: NodeJS.ProcessEnv): string {
  const dir = env.CLAUDE_CONFIG_DIR?.replace(/\/+$/, "");
  return dir ? `${dir}/.claude.json` : `${(env.HOME ?? "").replace(/\/+$/, "")}/.claude.json`;
}

/** Marks `folder` trusted; returns a warning when it could not, null when it is (or was already). */
export async function trustFolder(ctx: Context, folder: string): Promise<string | null> {
  const path = claudeJsonPath(ctx.env);
  const real = (await ctx.host.files.realpath(folder)) ?? folder;
  // Two creates at once must not each write the file with only their own folder added; and
  // claude itself must not save the file between our read and our rename.
  return withFileLock(ctx.host.files, `${ctx.settings.paths.stateDir}/locks/claude-json.lock`, path, () =>
    withClaudeConfigLock(ctx.host.files, path, () => markTrusted(ctx, path, folder, real), `claude holds ${path} locked; it will ask about ${folder} on its own screen (csm attach)`),
  );
}

async function markTrusted(ctx: Context, path: string, folder: string, real: string): Promise<string | null> {
  const text = await ctx.host.files.read(path);
  let config: Record<string, unknown>;
  try {
    const parsed = text === null ? {} : (JSON.parse(text) as unknown);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
    config = parsed as Record<string, unknown>;
  } catch (error) {
    return `could not mark ${folder} trusted in ${path} (${(error as Error).message}); claude will ask on its own screen (csm attach)`;
  }
  const projects = (typeof config.projects === "object" && config.projects !== null ? config.projects : {}) as Record<string, Record<string, unknown>>;
  const folders = [...new Set([folder, real])];
  if (folders.every((f) => projects[f]?.hasTrustDialogAccepted === true)) return null;
  for (const f of folders) projects[f] = { ...(projects[f] ?? {}), hasTrustDialogAccepted: true };
  await ctx.host.files.writeAtomic(path, JSON.stringify({ ...config, projects }, null, 2), 0o600);
  return null;
}

// claude saves its config under a lock of its own: the directory `<file>.lock`, made with
// mkdir, its mtime renewed while held, and counted stale once older than 10 s (the lock
// library claude uses). Taking the same lock is what keeps claude's save and ours apart.
const CLAUDE_LOCK_STALE_MS = 10_000;
const CLAUDE_LOCK_WAIT_MS = 5_000;
const CLAUDE_LOCK_POLL_MS = 25;

/** Runs `work` holding claude's own lock on its config file; `busy` when claude holds it throughout. */
export async function withClaudeConfigLock(files: HostFiles, configPath: string, work: () => Promise<string | null>, busy: string): Promise<string | null> {
  const lock = `${configPath}.lock`;
  // A claude config dir claude never ran in yet: made as writing the file would make it.
  await files.mkdirp(configPath.slice(0, configPath.lastIndexOf("/")) || "/", 0o700);
  const deadline = Date.now() + CLAUDE_LOCK_WAIT_MS;
  while (!(await files.makeDirectoryExclusive(lock))) {
    const [stamp] = await files.stamps([lock]);
    // Left by a claude that died holding it: claude's own lock library takes such a one over too.
    if (stamp?.kind === "directory" && Date.now() - stamp.modifiedMs > CLAUDE_LOCK_STALE_MS) {
      await files.remove(lock);
      continue;
    }
    if (Date.now() > deadline) return busy;
    await Bun.sleep(CLAUDE_LOCK_POLL_MS);
  }
  try {
    return await work();
  } finally {
    await files.remove(lock);
  }
}
