import { syncPush } from "../core/carry/sync-push.ts";
import { heldHere, renewSyncLocks } from "../core/carry/sync-lock.ts";
import { syncRepoUrl } from "../core/carry/sync-repo.ts";
import type { Context } from "../core/context.ts";
import type { Hub } from "./hub.ts";

// The hub's part in `csm sync`: a push when a csm session ends and every `sync.intervalMinutes`
// (off unless set), and the heartbeat of this machine's conversation locks (renewed while their
// session runs, released after). One job at a time; a failure is a line in the hub's log.

const HEARTBEAT_MS = 3 * 60_000;

/** What the timer needs from the world; tests give their own clock and push. */
export interface SyncTimerDeps {
  every(ms: number, work: () => void): ReturnType<typeof setInterval>;
  push(ctx: Context): Promise<unknown>;
  /** Whether sync is configured. */
  configured(ctx: Context): boolean;
}

const REAL: SyncTimerDeps = { every: (ms, work) => setInterval(work, ms), push: (ctx) => syncPush(ctx), configured: (ctx) => !!syncRepoUrl(ctx) };

export function startSyncTimer(ctx: Context, hub: Pick<Hub, "live">, deps: SyncTimerDeps = REAL): () => void {
  let busy = false;
  let stopped = false;
  const running = (ended?: string) =>
    new Set(
      ctx
        .sessions()
        .all(ctx.host.hostName)
        .filter((record) => record.exitedAt === null && record.name !== ended)
        .flatMap((record) => [record.claudeSessionId, record.options.resumed].filter((id): id is string => !!id)),
    );
  const job = (what: string, work: () => Promise<unknown>) => {
    if (busy || stopped || !deps.configured(ctx)) return;
    busy = true;
    void work()
      .catch((error: Error) => process.stderr.write(`csm hub: sync ${what} failed: ${error.message}\n`))
      .finally(() => (busy = false));
  };
  const renew = (ended?: string) => (heldHere(ctx) ? renewSyncLocks(ctx, running(ended)) : Promise.resolve());
  const timers = [deps.every(HEARTBEAT_MS, () => job("lock heartbeat", () => renew()))];
  const minutes = ctx.settings.config.sync?.intervalMinutes;
  if (minutes) timers.push(deps.every(minutes * 60_000, () => job("push", () => deps.push(ctx))));
  const unsubscribe = hub.live.subscribe((event) => {
    const what = event.kind === "link" ? (event.data as { event?: string }).event : undefined;
    if (what === "claude_exited" || what === "gone") job("push after a session ended", async () => (await deps.push(ctx), await renew(event.session)));
  });
  return () => {
    stopped = true;
    for (const timer of timers) clearInterval(timer);
    unsubscribe();
  };
}
