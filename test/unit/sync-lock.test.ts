import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext } from "../../src/core/context.ts";
import { listSyncLocks, releaseSyncLock, renewSyncLocks, takeSyncLock } from "../../src/core/carry/sync-lock.ts";
import { syncPush } from "../../src/core/carry/sync-push.ts";
import { syncInit } from "../../src/core/carry/sync-status.ts";

// Locks in a real bare repository, two machines (two data dirs), a fake clock (CSM_SYNC_NOW).

async function machine(root: string, name: string, bare: string, now?: string) {
  const home = join(root, name);
  mkdirSync(join(home, ".config", "csm"), { recursive: true });
  writeFileSync(join(home, ".config", "csm", "config.json"), JSON.stringify({ machineName: name, sync: { repo: bare } }));
  const env = { PATH: process.env.PATH!, HOME: home, CLAUDE_CONFIG_DIR: join(home, "claude"), ...(now ? { CSM_SYNC_NOW: now } : {}) };
  const ctx = await createContext(env);
  await syncInit(ctx, bare);
  return ctx;
}

test("a lock is refused while live, taken over once stale (and says whose), renewed and released", async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "csm-sync-lock-")));
  try {
    const bare = join(root, "shared.git");
    expect(Bun.spawnSync(["git", "init", "-q", "--bare", "-b", "main", bare]).exitCode).toBe(0);
    const t0 = Date.parse("2026-11-30T10:00:00Z");
    const laptop = await machine(root, "laptop", bare, String(t0));
    const id = "0b1c2d3e-0000-4000-8000-000000000001";
    const project = join(root, "laptop", "claude", "projects", "-p");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, `${id}.jsonl`), `${JSON.stringify({ type: "user", uuid: "u1", cwd: "/p", sessionId: id })}\n`);
    expect(await takeSyncLock(laptop, id)).toBeNull(); // not in the repository yet: nothing to lock
    await syncPush(laptop);
    const first = await takeSyncLock(laptop, id);
    expect(first).toMatchObject({ lock: { id, machine: "laptop", expires: new Date(t0 + 600_000).toISOString() }, takenOver: null });

    const devbox = await machine(root, "devbox", bare, String(t0 + 5 * 60_000));
    await expect(takeSyncLock(devbox, id)).rejects.toThrow(/open on laptop.*--force/);
    await expect(releaseSyncLock(devbox, id.slice(0, 8), false)).rejects.toThrow(/laptop's and still live/);

    const later = await createContext({ ...devbox.env, CSM_SYNC_NOW: String(t0 + 11 * 60_000) });
    const taken = await takeSyncLock(later, id);
    expect(taken).toMatchObject({ lock: { machine: "devbox", takenOverFrom: "laptop" }, takenOver: { machine: "laptop" } });

    // The laptop's heartbeat leaves devbox's lock alone; devbox's renews it, then releases it when the session is gone.
    expect(await renewSyncLocks(laptop, new Set([id]))).toEqual([]);
    const devboxLater = await createContext({ ...devbox.env, CSM_SYNC_NOW: String(t0 + 15 * 60_000) });
    expect(await renewSyncLocks(devboxLater, new Set([id]))).toEqual([id]);
    expect((await listSyncLocks(laptop)).map((l) => [l.machine, l.expires, l.live])).toEqual([["devbox", new Date(t0 + 25 * 60_000).toISOString(), true]]);
    expect(await renewSyncLocks(devboxLater, new Set())).toEqual([]);
    expect(await listSyncLocks(laptop)).toEqual([]);
    for (const ctx of [laptop, devbox, later, devboxLater]) ctx.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
