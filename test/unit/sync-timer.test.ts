import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext, type Context } from "../../src/core/context.ts";
import type { PublishedEvent } from "../../src/hub/live-sessions.ts";
import { startSyncTimer, type SyncTimerDeps } from "../../src/hub/sync-timer.ts";

// The hub's sync timer: a push every sync.intervalMinutes (none when unset), and one when a
// csm session ends. The clock and the push are the test's; the decisions are the timer's.

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function contextWith(sync: Record<string, unknown> | undefined): Promise<Context> {
  root = mkdtempSync(join(tmpdir(), "csm-sync-timer-"));
  const env = { HOME: root, XDG_CONFIG_HOME: join(root, "config"), XDG_STATE_HOME: join(root, "state"), XDG_DATA_HOME: join(root, "data") };
  await Bun.write(join(root, "config", "csm", "config.json"), JSON.stringify(sync ? { sync } : {}));
  return createContext(env);
}

function fakeWorld() {
  const timers: { ms: number; work: () => void }[] = [];
  const pushes: number[] = [];
  const deps: SyncTimerDeps = {
    every: (ms, work) => (timers.push({ ms, work }), setInterval(() => undefined, 1 << 30)),
    push: async () => pushes.push(Date.now()),
    configured: () => true,
  };
  let listener: ((event: PublishedEvent) => void) | null = null;
  const hub = { live: { subscribe: (fn: (event: PublishedEvent) => void) => ((listener = fn), () => (listener = null)) } } as never;
  return { timers, pushes, deps, hub, emit: (event: PublishedEvent) => listener?.(event) };
}

const settle = () => Bun.sleep(5);

test("every intervalMinutes a push; a session's end a push; none after stop", async () => {
  const ctx = await contextWith({ repo: "/nowhere", intervalMinutes: 5 });
  const world = fakeWorld();
  const stop = startSyncTimer(ctx, world.hub, world.deps);
  const interval = world.timers.find((timer) => timer.ms === 5 * 60_000);
  expect(interval).toBeDefined();
  interval!.work();
  await settle();
  expect(world.pushes).toHaveLength(1);
  world.emit({ session: "a", seq: 1, at: "", kind: "link", data: { event: "claude_exited" } } as PublishedEvent);
  await settle();
  expect(world.pushes).toHaveLength(2);
  stop();
  interval!.work();
  await settle();
  expect(world.pushes).toHaveLength(2);
  ctx.close();
});

test("no intervalMinutes: no periodic push", async () => {
  const ctx = await contextWith({ repo: "/nowhere" });
  const world = fakeWorld();
  const stop = startSyncTimer(ctx, world.hub, world.deps);
  expect(world.timers.map((timer) => timer.ms)).toEqual([3 * 60_000]);
  stop();
  ctx.close();
});
