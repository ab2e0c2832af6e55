import { readFileSync } from "node:fs";
import { loadSettings } from "../../config/load.ts";
import { LocalHost } from "../../host/local.ts";
import { composeSettings, parseUserSettings, preToolUseHookSettings } from "../../link/hook-settings.ts";
import type { LaunchSpec } from "../../link/launch.ts";
import { openDatabase } from "../../store/db.ts";
import { SessionStore } from "../../store/sessions.ts";
import { checkName } from "../../shared/names.ts";

// Shared by the two programs an agent pane runs (`csm bridge`, `csm run-agent`): take the
// launch spec (deleting it at once: it holds secrets), give claude csm's hooks, and
// record how claude ended.

export async function takeLaunchSpec(name: string): Promise<LaunchSpec> {
  checkName("session", name);
  const settings = await loadSettings();
  const path = `${settings.paths.launchDir}/${name}.json`;
  const file = Bun.file(path);
  if (!(await file.exists())) throw new Error(`no launch spec for ${name} at ${path}; start the session with \`csm reconnect ${name}\``);
  const spec = (await file.json()) as LaunchSpec;
  await file.delete();
  return spec;
}

export async function recordExit(spec: LaunchSpec, status: number): Promise<void> {
  const db = openDatabase((await loadSettings(spec.env)).paths.database);
  new SessionStore(db).recordExit(spec.host, spec.session, status, new Date().toISOString());
  db.close();
}

/**
 * Writes the spec's `--settings` file: the user's own settings from claudeArgs with csm's
 * PreToolUse hook added (see link/hook-settings.ts). Returns what removes it again.
 */
export async function writeHookSettings(spec: LaunchSpec, hookUrl: string, secretVariable: string): Promise<() => Promise<void>> {
  const files = new LocalHost().files;
  const user = spec.userSettings.map((value) => parseUserSettings(value, (path) => readFileSync(path, "utf8"), spec.cwd));
  const settings = composeSettings(user, preToolUseHookSettings(hookUrl, secretVariable));
  await files.mkdirp(spec.hookSettingsFile.slice(0, spec.hookSettingsFile.lastIndexOf("/")), 0o700);
  await files.writeAtomic(spec.hookSettingsFile, JSON.stringify(settings), 0o600);
  return () => files.remove(spec.hookSettingsFile).catch(() => undefined);
}
