// Where a running hub says where it is: <state>/hub.json with pid, port and version.
// A file whose pid is not alive is stale and is replaced by the next hub. Read with
// Bun.file: `csm list` checks it on every run and node:fs costs ~2 ms to load.
//
// Beside it: <state>/hub.lock, held by the hub for its whole life (one hub per state dir,
// see shared/state-lock.ts), and <state>/hub.stopped, left by a hub that was stopped on
// purpose, so the bridges do not bring back what a person stopped (see hub-start.ts).

import { processAlive, processArgv, processRuns, processStartTime } from "../shared/process-alive.ts";
import { lockOwner, type LockOwner } from "../shared/process-lock.ts";
import { stateLockPath } from "../shared/state-lock.ts";

export { processAlive };

export interface HubInfo {
  pid: number;
  port: number;
  version: string;
  startedAt: string;
  /** The process's start time (see shared/process-alive.ts): with the pid it names this very hub. */
  procStart?: string | null;
  /** The claude config dir whose conversations this hub indexes. */
  claudeConfigDir?: string;
  /** The agent link it speaks (link/agent-proof.ts, AGENT_LINK_VERSION); absent: 1. */
  agentLink?: number;
}

export const hubInfoPath = (stateDir: string) => `${stateDir}/hub.json`;
export const hubLogPath = (stateDir: string) => `${stateDir}/hub.log`;
export const hubLockPath = stateLockPath;
export const hubStoppedPath = (stateDir: string) => `${stateDir}/hub.stopped`;

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
  removeStaleInfo(stateDir, info);
  return null;
}

/**
 * A new hub may be writing its own hub.json right now (a bridge started it): remove the
 * file only while it still names the dead hub and no live hub holds the lock.
 */
function removeStaleInfo(stateDir: string, stale: HubInfo): void {
  const { readFileSync, rmSync } = require("node:fs") as typeof import("node:fs");
  if (lockOwner(hubLockPath(stateDir))) return;
  try {
    if ((JSON.parse(readFileSync(hubInfoPath(stateDir), "utf8")) as HubInfo).pid !== stale.pid) return;
  } catch {
    return;
  }
  rmSync(hubInfoPath(stateDir), { force: true });
}

/** The live hub holding the state dir's lock (it may still be starting: no hub.json yet). */
export function hubLockOwner(stateDir: string): LockOwner | null {
  return lockOwner(hubLockPath(stateDir));
}

/**
 * The hub that runs for this state dir, told apart from a zombie or a reused pid: the
 * lock's owner (pid and start time), else hub.json's pid if it still is that process (its
 * recorded start time, or for a file without one, a csm `server` command line). Needs
 * nothing but the state dir: no config, no token.
 */
export async function runningHub(stateDir: string): Promise<{ pid: number; start: string | null; info: HubInfo | null } | null> {
  const info = await readHubInfo(stateDir);
  const owner = hubLockOwner(stateDir);
  if (owner) return { pid: owner.pid, start: owner.start, info: info?.pid === owner.pid ? info : null };
  if (!info) return null;
  return isRunningHub(info) ? { pid: info.pid, start: info.procStart ?? processStartTime(info.pid), info } : null;
}

/** Whether hub.json's pid is still that hub: its recorded start time, or for a file without one, a csm `server` command line. */
export function isRunningHub(info: HubInfo): boolean {
  return info.procStart ? processRuns(info.pid, info.procStart) : processRuns(info.pid) && processArgv(info.pid).includes("server");
}

/** SIGTERM to a running hub, then waits until it has exited and is reaped; false when it still runs after `waitMs`. */
export async function terminateHub(running: { pid: number; start: string | null }, waitMs: number): Promise<boolean> {
  process.kill(running.pid, "SIGTERM");
  for (const until = Date.now() + waitMs; processRuns(running.pid, running.start) && Date.now() < until; ) await Bun.sleep(50);
  if (processRuns(running.pid, running.start)) return false;
  // It has exited; give whoever reaps it a moment, so its pid is gone too when this returns.
  for (const until = Date.now() + 5000; processAlive(running.pid) && Date.now() < until; ) await Bun.sleep(20);
  return true;
}

/** Whether the last hub was stopped on purpose (`csm server stop`, a signal): then only a command starts one. */
export async function stoppedOnPurpose(stateDir: string): Promise<boolean> {
  return Bun.file(hubStoppedPath(stateDir)).exists();
}
