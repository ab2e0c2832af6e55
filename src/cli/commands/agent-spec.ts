import { loadSettings } from "../../config/load.ts";
import type { LaunchSpec } from "../../link/launch.ts";
import { openDatabase } from "../../store/db.ts";
import { SessionStore } from "../../store/sessions.ts";
import { checkName } from "../../shared/names.ts";

// Shared by the two programs an agent pane runs (`csm bridge`, `csm run-agent`): take the
// launch spec (deleting it at once: it holds secrets), and record how claude ended.

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
