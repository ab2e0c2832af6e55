import { tryLock, type LockAttempt } from "./process-lock.ts";

// `<state>/hub.lock`: the hub holds it for its whole life, so one hub runs per state dir.
// Work that must not happen under a running hub (moving a damaged store aside) takes it
// for a moment; inside the hub, which holds it already, it is simply granted.

export const stateLockPath = (stateDir: string) => `${stateDir}/hub.lock`;

export const tryStateLock = (stateDir: string): LockAttempt => tryLock(stateLockPath(stateDir));
