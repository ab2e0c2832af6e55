import { readFileSync, rmSync } from "node:fs";
import { loadSettings } from "../../config/load.ts";
import { LocalHost } from "../../host/local.ts";
import type { LaunchSpec } from "../../link/launch.ts";
import { openDatabase } from "../../store/db.ts";
import { SessionStore } from "../../store/sessions.ts";
import type { Output } from "../io.ts";

// What a session's agent window runs: read the launch spec once (it may hold secrets,
// so it is deleted at once), run claude in the worktree with the creator's environment,
// and record how it ended so `csm list` can say why a session is dead.
export async function run(argv: string[], io: Output): Promise<number> {
  const specFile = argv[0];
  if (!specFile) {
    io.err("csm: run-agent needs a launch spec file");
    return 2;
  }
  let spec: LaunchSpec;
  try {
    spec = JSON.parse(readFileSync(specFile, "utf8")) as LaunchSpec;
  } catch (error) {
    io.err(`csm: cannot read launch spec ${specFile}: ${(error as Error).message}`);
    return 1;
  }
  rmSync(specFile, { force: true });
  let status: number;
  try {
    status = await new LocalHost().runAttached(spec.argv, { cwd: spec.cwd, env: spec.env });
  } catch (error) {
    io.err(`csm: ${(error as Error).message}`);
    status = 127;
  }
  const db = openDatabase((await loadSettings(spec.env)).paths.database);
  new SessionStore(db).recordExit(spec.host, spec.session, status, new Date().toISOString());
  db.close();
  io.err(`csm: claude exited with status ${status}`);
  return status;
}
