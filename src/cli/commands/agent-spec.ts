import { readFileSync } from "node:fs";
import { loadSettings } from "../../config/load.ts";
import { createContext } from "../../core/context.ts";
import { stoppedOnPurpose } from "../../hub-client/hub-files.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import type { HubStartOutcome } from "../../link/hub-link.ts";
import { LocalHost } from "../../host/local.ts";
import { claudeConfigDir } from "../../config/claude-config-dir.ts";
import { composeSettings, parseUserSettings, preToolUseHookSettings } from "../../link/hook-settings.ts";
import { nativeHookSettings, statusCopyOf, userStatusLineCommand } from "../../link/native-settings.ts";
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
  const user = spec.userSettings.map((value) => parseUserSettings(value, (path) => readFileSync(path, "utf8"), spec.cwd));
  return writeSettings(spec, composeSettings(user, preToolUseHookSettings(hookUrl, secretVariable)));
}

/**
 * A native session's `--settings` file: every hook to the supervisor at `hookUrl`, and a
 * statusLine that keeps claude's status input, feeding the user's own status line if they
 * have one (read, never changed: their --settings, else claude's settings.json). The
 * supervisor removes both files as it ends (see commands/native.ts).
 */
export async function writeNativeSettings(spec: LaunchSpec, hookUrl: string, secretVariable: string): Promise<void> {
  const user = spec.userSettings.map((value) => parseUserSettings(value, (path) => readFileSync(path, "utf8"), spec.cwd));
  const claudeOwn = readJsonObject(`${claudeConfigDir(spec.env)}/settings.json`);
  const statusLine = { copyTo: statusCopyOf(spec.hookSettingsFile), userCommand: userStatusLineCommand([...(claudeOwn ? [claudeOwn] : []), ...user]) };
  await writeSettings(spec, composeSettings(user, nativeHookSettings(hookUrl, secretVariable, statusLine)));
  // Made private before claude writes to it: `cat >` keeps the mode of the file it truncates.
  await new LocalHost().files.writeAtomic(statusLine.copyTo, "", 0o600);
}

function readJsonObject(path: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function writeSettings(spec: LaunchSpec, settings: Record<string, unknown>): Promise<() => Promise<void>> {
  const files = new LocalHost().files;
  await files.mkdirp(spec.hookSettingsFile.slice(0, spec.hookSettingsFile.lastIndexOf("/")), 0o700);
  await files.writeAtomic(spec.hookSettingsFile, JSON.stringify(settings), 0o600);
  return () => files.remove(spec.hookSettingsFile).catch(() => undefined);
}

/**
 * A hub for a pane whose hub is gone: with the session's own environment (its state dir
 * and config), on the configured port; the link finds it through hub.json (see
 * agent-socket.ts). The port of the agent URL may be one a hub with tls took at random.
 */
export async function startHubFor(spec: LaunchSpec): Promise<HubStartOutcome> {
  const ctx = await createContext(spec.env);
  try {
    if (await stoppedOnPurpose(ctx.settings.paths.stateDir)) return "stopped-on-purpose";
    await ensureHub(ctx);
    return "running";
  } finally {
    ctx.close();
  }
}
