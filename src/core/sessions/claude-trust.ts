import { withFileLock } from "../../host/file-lock.ts";
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
  // Two creates at once must not each write the file with only their own folder added.
  return withFileLock(ctx.host.files, `${ctx.settings.paths.stateDir}/locks/claude-json.lock`, path, async () => {
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
  });
}
