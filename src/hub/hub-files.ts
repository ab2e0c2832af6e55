// Where a running hub says where it is: <state>/hub.json with pid, port and version.
// A file whose pid is not alive is stale and is replaced by the next hub. Read with
// Bun.file: `csm list` checks it on every run and node:fs costs ~2 ms to load.

import { processAlive } from "../shared/process-alive.ts";

export { processAlive };

export interface HubInfo {
  pid: number;
  port: number;
  version: string;
  startedAt: string;
}

export const hubInfoPath = (stateDir: string) => `${stateDir}/hub.json`;
export const hubLogPath = (stateDir: string) => `${stateDir}/hub.log`;

export async function readHubInfo(stateDir: string): Promise<HubInfo | null> {
  try {
    return (await Bun.file(hubInfoPath(stateDir)).json()) as HubInfo;
  } catch {
    return null;
  }
}

/** The recorded hub if its process is alive; a stale file is removed. */
export async function liveHubInfo(stateDir: string): Promise<HubInfo | null> {
  const info = await readHubInfo(stateDir);
  if (!info) return null;
  if (processAlive(info.pid)) return info;
  const { rmSync } = require("node:fs") as typeof import("node:fs");
  rmSync(hubInfoPath(stateDir), { force: true });
  return null;
}
