import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalHost } from "../../src/host/local.ts";
import type { HostFiles } from "../../src/host/runner.ts";
import { withFileLock } from "../../src/host/file-lock.ts";

// The lock that keeps two csm processes from changing one repository's worktrees (or the
// config) at once, over real files. The waiters here share one process, so their file
// operations interleave as two processes' would.

const root = await mkdtemp(join(tmpdir(), "csm-file-lock-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const files = new LocalHost().files;

async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

async function mostAtOnce(path: string, waiters: number, through: HostFiles = files, holdMs = 1): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: waiters }, () =>
      withFileLock(through, path, "the test's repository", async () => {
        most = Math.max(most, ++inside);
        await Bun.sleep(holdMs);
        inside--;
      }),
    ),
  );
  return most;
}

test("holders take turns", async () => {
  expect(await mostAtOnce(join(root, "turns.lock"), 8)).toBe(1);
});

test("waiters that all find a dead owner's lock take it over one at a time", async () => {
  const path = join(root, "stale.lock");
  const dead = await deadPid();
  const waiters = 6;
  for (let round = 0; round < 2; round++) {
    await writeFile(path, String(dead));
    expect({ round, most: await mostAtOnce(path, waiters, everyoneReadsFirst(waiters), 50) }).toEqual({ round, most: 1 });
  }
});

/**
 * The real files, except that the first reads wait for each other and then return a few
 * milliseconds apart: every waiter has read the dead owner's pid before any acts on it,
 * and each acts after the one before has taken the lock, the worst order that separate
 * processes can meet in.
 */
function everyoneReadsFirst(waiters: number): HostFiles {
  let reads = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => (release = resolve));
  return {
    ...files,
    async read(path) {
      const content = await files.read(path);
      if (reads < waiters) {
        const turn = reads++;
        if (reads === waiters) release();
        await allRead;
        await Bun.sleep(turn * 10);
      }
      return content;
    },
  };
}

test("a lock file left without a pid (its writer died between creating and writing it) is taken over after a moment, not waited on for ever", async () => {
  const path = join(root, "unnamed.lock");
  await writeFile(path, "");
  await writeFile(`${path}.takeover`, "");
  let ran = false;
  await withFileLock(files, path, "the test's repository", async () => {
    ran = true;
  });
  expect(ran).toBe(true);
}, 25_000);
