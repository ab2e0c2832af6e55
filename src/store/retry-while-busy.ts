// SQLite answers BUSY without waiting on busy_timeout in a few places: switching a new
// database to WAL while another connection opens it is the one csm meets, when two
// processes open the same file for the first time at once. Those steps retry for a while.

const BUSY_RETRY_MS = 10_000;

export const isBusy = (error: unknown) =>
  (error as { code?: string }).code === "SQLITE_BUSY" || /database is locked|SQLITE_BUSY/i.test(String((error as Error).message));

/** Runs `work`, again after a short random pause while SQLite answers BUSY, for up to 10 s. */
export function retryWhileBusy<T>(work: () => T): T {
  const deadline = Date.now() + BUSY_RETRY_MS;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      Bun.sleepSync(10 + Math.random() * 20);
    }
  }
}
