import { readdirSync, statSync } from "node:fs";
import { claudeConfigDir, listTranscripts, type TranscriptFile } from "../../adapters/claude-files.ts";
import { pathMapOf } from "../../config/schema.ts";
import type { Context } from "../context.ts";
import type { PathMap } from "./path-map.ts";

// This machine's side of a sync: claude's config dir, its transcripts, and the path map.

export interface LocalSide {
  configDir: string;
  projectsDir: string;
  transcripts: TranscriptFile[];
  map: PathMap;
}

export function localSide(ctx: Context): LocalSide {
  const configDir = claudeConfigDir(ctx.env);
  const home = ctx.env.HOME || (require("node:os") as typeof import("node:os")).homedir();
  return { configDir, projectsDir: `${configDir}/projects`, transcripts: listTranscripts(configDir).files, map: pathMapOf(ctx.settings.config, home) };
}

/** Files under `dir`, relative to it (none when it is missing). */
export function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names.filter((name) => {
    try {
      return statSync(`${dir}/${name}`).isFile();
    } catch {
      return false;
    }
  });
}

/** Whether a cwd is covered by a placeholder other than `{{HOME}}`… or `{{HOME}}` itself. */
export function coveredBy(cwd: string, map: PathMap): string | null {
  let best: [string, string] | null = null;
  for (const [placeholder, path] of Object.entries(map)) {
    if ((cwd === path || cwd.startsWith(`${path}/`)) && (!best || path.length > best[1].length)) best = [placeholder, path];
  }
  return best ? best[0] : null;
}

/** `cwd` is `project` or inside it. */
export const isUnder = (cwd: string, project: string) => cwd === project || cwd.startsWith(`${project.replace(/\/+$/, "")}/`);
