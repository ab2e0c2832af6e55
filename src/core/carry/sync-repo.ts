import { existsSync, mkdirSync, readdirSync, type Dirent } from "node:fs";
import { tryLock } from "../../shared/process-lock.ts";
import { CsmError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";

// The sync repository: a clone of the git repository the user named (`csm sync init`) in csm's
// data dir. The clone is only a cache of the remote: every operation starts from the remote's
// tip (fetch, reset), writes what this machine has, commits and pushes; a push rejected because
// another machine pushed first starts over from the new tip. It pushes only to the remote it
// was cloned from, and only while that is the config's `sync.repo`.

export const BRANCH = "main";
const ATTEMPTS = 5;

export const syncDirOf = (ctx: Context) => `${ctx.settings.paths.dataDir}/sync`;
export const repoDirOf = (ctx: Context) => `${syncDirOf(ctx)}/repo`;

export const syncError = (message: string, data: Record<string, unknown> = {}, name: "HubError" | "HostUnreachable" = "HubError") => new CsmError(name, message, { data });

export const notConfigured = () => new CsmError("NotFound", "sync is not set up on this machine: run `csm sync init URL|PATH` with a private git repository");

/** The repository URL the config names, or null when sync is not set up. */
export function syncRepoUrl(ctx: Context): string | null {
  return ctx.settings.config.sync?.repo ?? null;
}

async function git(ctx: Context, cwd: string, args: string[], input?: string) {
  return ctx.host.run(["git", "-C", cwd, ...args], input === undefined ? undefined : { input });
}

const firstLine = (text: string) => text.trim().split("\n").filter((line) => !/^(hint|warning):/.test(line)).at(-1) ?? "";

async function gitOk(ctx: Context, cwd: string, args: string[], input?: string): Promise<string> {
  const result = await git(ctx, cwd, args, input);
  if (result.code !== 0) throw syncError(`git ${args[0]} in ${cwd} failed: ${firstLine(result.stderr) || `exit ${result.code}`}`);
  return result.stdout;
}

/** Clones the repository into the data dir (an empty one gets branch main). */
export async function cloneSyncRepo(ctx: Context, url: string): Promise<string> {
  const dir = repoDirOf(ctx);
  if (existsSync(`${dir}/.git`)) {
    const origin = (await git(ctx, dir, ["remote", "get-url", "origin"])).stdout.trim();
    if (origin === url) return dir;
    throw syncError(`${dir} is already a clone of ${origin}; move it away to sync with ${url}`);
  }
  mkdirSync(syncDirOf(ctx), { recursive: true });
  const result = await ctx.host.run(["git", "clone", "-q", "--", url, dir]);
  if (result.code !== 0) throw syncError(`cannot clone the sync repository ${url}: ${firstLine(result.stderr) || `exit ${result.code}`}`, { url }, "HostUnreachable");
  if (!(await hasRemoteBranch(ctx, dir))) await gitOk(ctx, dir, ["symbolic-ref", "HEAD", `refs/heads/${BRANCH}`]);
  return dir;
}

async function hasRemoteBranch(ctx: Context, dir: string): Promise<boolean> {
  return (await git(ctx, dir, ["rev-parse", "--verify", "-q", `refs/remotes/origin/${BRANCH}`])).code === 0;
}

/** The clone, checked to still point at the configured URL. */
export function openSyncRepo(ctx: Context): string {
  const url = syncRepoUrl(ctx);
  if (!url) throw notConfigured();
  const dir = repoDirOf(ctx);
  if (!existsSync(`${dir}/.git`)) throw syncError(`the sync clone ${dir} is missing: run \`csm sync init ${url}\` again`);
  return dir;
}

/** Brings the clone to the remote's tip; what this machine has is written again on top. */
export async function refreshSyncRepo(ctx: Context, dir: string): Promise<void> {
  const url = syncRepoUrl(ctx)!;
  const origin = (await git(ctx, dir, ["remote", "get-url", "origin"])).stdout.trim();
  if (origin !== url) throw syncError(`the sync clone ${dir} points at ${origin}, not the configured ${url}; csm pushes only where it was told: run \`csm sync init ${url}\``);
  const fetched = await git(ctx, dir, ["fetch", "-q", "origin"]);
  if (fetched.code !== 0) throw syncError(`cannot reach the sync repository ${url}: ${firstLine(fetched.stderr) || `exit ${fetched.code}`}; nothing was changed`, { url }, "HostUnreachable");
  if (await hasRemoteBranch(ctx, dir)) await gitOk(ctx, dir, ["reset", "-q", "--hard", `origin/${BRANCH}`]);
  await gitOk(ctx, dir, ["clean", "-q", "-f", "-d"]);
}

/**
 * One change to the shared store: from the remote's tip, `write` changes files and names them,
 * then they are committed and pushed. A push someone else beat is tried again from their tip.
 * Returns what the last `write` returned.
 */
export async function changeSyncRepo<T>(ctx: Context, message: string, write: (dir: string) => Promise<{ paths: string[]; result: T }>): Promise<T> {
  const dir = openSyncRepo(ctx);
  const machine = machineOf(ctx);
  return withOperationLock(ctx, async () => {
    for (let attempt = 1; ; attempt++) {
      await refreshSyncRepo(ctx, dir);
      const { paths, result } = await write(dir);
      if (paths.length === 0) return result;
      await gitOk(ctx, dir, ["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"], paths.map((path) => `:(literal)${path}`).join("\0"));
      const staged = await git(ctx, dir, ["diff", "--cached", "--quiet"]);
      if (staged.code === 0) return result;
      await gitOk(ctx, dir, ["-c", `user.name=csm on ${machine}`, "-c", `user.email=csm@${machine}.invalid`, "commit", "-q", "--no-verify", "-m", message]);
      const pushed = await git(ctx, dir, ["push", "-q", "origin", `HEAD:refs/heads/${BRANCH}`]);
      if (pushed.code === 0) return result;
      const rejected = /rejected|fetch first|non-fast-forward|failed to update ref|cannot lock ref/i.test(pushed.stderr);
      if (!rejected) throw syncError(`cannot push to the sync repository ${syncRepoUrl(ctx)}: ${firstLine(pushed.stderr) || `exit ${pushed.code}`}; nothing local was changed`, {}, "HostUnreachable");
      if (attempt >= ATTEMPTS) throw new CsmError("PushRejected", `the sync repository kept moving: push rejected ${ATTEMPTS} times (other machines pushing); try again`);
    }
  });
}

/** Reading the store: the clone at the remote's tip, under the same lock. */
export async function readSyncRepo<T>(ctx: Context, read: (dir: string) => Promise<T>, options: { refresh?: boolean } = {}): Promise<T> {
  const dir = openSyncRepo(ctx);
  return withOperationLock(ctx, async () => {
    if (options.refresh !== false) await refreshSyncRepo(ctx, dir);
    return read(dir);
  });
}

export function machineOf(ctx: Context): string {
  // Read here rather than imported from config/schema so core need not reach for os.hostname itself.
  const { machineNameOf } = require("../../config/schema.ts") as typeof import("../../config/schema.ts");
  return machineNameOf(ctx.settings.config);
}

/** One sync operation at a time per machine (the hub's timer and a command share the clone). */
async function withOperationLock<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  mkdirSync(syncDirOf(ctx), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const lock = tryLock(`${syncDirOf(ctx)}/operation.lock`);
    if (lock.acquired) {
      try {
        return await work();
      } finally {
        lock.release();
      }
    }
    if (Date.now() > deadline) throw new CsmError("LockBusy", `another csm sync (pid ${lock.owner.pid}) has held the sync clone for 2 minutes; try again when it is done`);
    await Bun.sleep(50);
  }
}

/** Entries of a directory, none when it is missing. */
export function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
