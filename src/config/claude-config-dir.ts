// Where claude keeps its config and transcripts. No imports: `csm search` asks it on its fast path.

/** `CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CLAUDE_CONFIG_DIR;
  if (configured) return configured.replace(/\/+$/, "") || "/";
  const home = env.HOME || (require("node:os") as typeof import("node:os")).homedir();
  return `${home.replace(/\/+$/, "")}/.claude`;
}
