import { processRuns, processStartTime } from "./process-alive.ts";

// A lock a process holds for as long as it lives (the hub's, one per state dir): a file
// naming its owner by pid and start time (see process-alive.ts), so a lock left by a
// process that was killed is taken over, but never one whose owner still runs, not even
// when its pid has been reused meanwhile. Bun has no flock, and a lock file also tells
// others who holds it.
//
// The file appears with its content in one step (written beside it, then hard-linked into
// place, which fails if the name exists), so nobody reads a half-written owner. Synchronous:
// opening the store (synchronous in SQLite) takes it too.

export interface LockOwner {
  pid: number;
  /** The owner's start time; null where the system cannot tell one. */
  start: string | null;
}

export type LockAttempt =
  | { acquired: true; /** Already this process's (nested use): releasing is the outer holder's job. */ nested: boolean; release(): void }
  | { acquired: false; owner: LockOwner };

/** How long an empty lock file (a writer without hard links, between create and write) is taken for one being written. */
const EMPTY_GRACE_MS = 2000;
const ROUNDS = 200;

const fs = () => require("node:fs") as typeof import("node:fs");

const format = (owner: LockOwner) => `${owner.pid} ${owner.start ?? "-"}\n`;

function parse(text: string): LockOwner | null {
  const match = /^(\d+) (\S+)\n?$/.exec(text);
  if (!match) return null;
  return { pid: Number(match[1]), start: match[2] === "-" ? null : match[2]! };
}

function readText(path: string): string | null {
  try {
    return fs().readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Creates `path` holding `content`, or returns false when it exists. */
function create(path: string, content: string): boolean {
  const { linkSync, mkdirSync, unlinkSync, writeFileSync } = fs();
  mkdirSync(path.slice(0, Math.max(1, path.lastIndexOf("/"))), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // A file system without hard links: O_EXCL, whose file is empty for a moment.
    try {
      writeFileSync(path, content, { flag: "wx", mode: 0o600 });
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw fallback;
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  }
}

function removeIfStill(path: string, content: string): void {
  if (readText(path) !== content) return;
  try {
    fs().unlinkSync(path);
  } catch {
    // removed by someone else meanwhile
  }
}

/** The owner of `path` while it runs; null when the lock is free or left by a process that is gone. */
export function lockOwner(path: string): LockOwner | null {
  const text = readText(path);
  if (text === null) return null;
  const owner = parse(text);
  return owner && processRuns(owner.pid, owner.start) ? owner : null;
}

/** Takes the lock unless a running process holds it; never waits for one that does. */
export function tryLock(path: string): LockAttempt {
  const me: LockOwner = { pid: process.pid, start: processStartTime(process.pid) };
  const content = format(me);
  for (let round = 0; round < ROUNDS; round++) {
    if (create(path, content)) return { acquired: true, nested: false, release: () => removeIfStill(path, content) };
    const text = readText(path);
    if (text === null) continue; // released meanwhile
    if (text === content) return { acquired: true, nested: true, release: () => {} };
    const owner = parse(text);
    if (owner && processRuns(owner.pid, owner.start)) return { acquired: false, owner };
    if (!owner && text === "" && youngerThan(path, EMPTY_GRACE_MS)) {
      Bun.sleepSync(5);
      continue;
    }
    takeOver(path, text, content);
  }
  throw new Error(`could not take the lock ${path}: it changed hands ${ROUNDS} times; if no csm runs, remove it`);
}

function youngerThan(path: string, ms: number): boolean {
  try {
    return Date.now() - fs().statSync(path).mtimeMs < ms;
  } catch {
    return false;
  }
}

/**
 * Removes a lock whose owner is gone. Several processes can find it so at once: if each
 * removed what it found, a late one would remove the lock an early one had just taken.
 * So only the holder of `<path>.takeover` removes it, and only while it still reads as
 * found. A guard is held for microseconds; one left by a process that died holding it is
 * cleared the same way.
 */
function takeOver(path: string, stale: string, content: string): void {
  const guard = `${path}.takeover`;
  if (!create(guard, content)) {
    const text = readText(guard);
    const owner = text === null ? null : parse(text);
    if (text !== null && !(owner && processRuns(owner.pid, owner.start)) && !(text === "" && youngerThan(guard, EMPTY_GRACE_MS))) {
      removeIfStill(guard, text);
    } else Bun.sleepSync(2);
    return;
  }
  try {
    removeIfStill(path, stale);
  } finally {
    removeIfStill(guard, content);
  }
}
