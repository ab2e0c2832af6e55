import { watch, type FSWatcher } from "node:fs";
import { refreshIndex } from "../core/conversations/refresh-index.ts";
import { WATCHER_HEARTBEAT_KEY } from "../core/conversations/local-conversations.ts";
import { ConversationIndex } from "../store/conversation-index.ts";

// The hub's indexer, in a worker thread so a cold index of a gigabyte of transcripts never
// stalls the hub's event loop (approvals, the live link). It refreshes when claude writes
// (recursive file watching on `<config>/projects`), after a short quiet period so a
// streaming reply costs one pass, and rescans now and then in case a change was missed or
// watching is not possible. Its heartbeat in the index tells CLI queries the index is fresh.

declare const self: Worker;

export interface IndexerStart {
  indexPath: string;
  configDir: string;
}

export type IndexerMessage = { kind: "refreshed"; files: number; read: number; ms: number } | { kind: "failed"; message: string };

const QUIET_MS = 250;
// Every beat is a write to the index: at 3 s they were a third of an idle hub's CPU (`bun run bench native`).
const HEARTBEAT_MS = 10_000;
const RESCAN_WATCHED_MS = 60_000;
const RESCAN_UNWATCHED_MS = 5_000;

self.onmessage = (event: MessageEvent<IndexerStart>) => {
  const { indexPath, configDir } = event.data;
  const index = ConversationIndex.open(indexPath);
  let watcher: FSWatcher | null = null;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let lastRefresh = 0;

  const refresh = () => {
    pending = null;
    try {
      const report = refreshIndex(index, configDir);
      lastRefresh = Date.now();
      postMessage({ kind: "refreshed", files: report.files, read: report.read, ms: report.ms } satisfies IndexerMessage);
    } catch (error) {
      postMessage({ kind: "failed", message: (error as Error).message } satisfies IndexerMessage);
    }
    ensureWatching();
  };
  const soon = () => {
    if (pending === null) pending = setTimeout(refresh, QUIET_MS);
  };
  // `projects/` may appear only after the hub started (claude's first run).
  const ensureWatching = () => {
    if (watcher) return;
    try {
      watcher = watch(`${configDir}/projects`, { recursive: true }, soon);
      watcher.on("error", () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      watcher = null;
    }
  };
  const beat = () => {
    // Fresh only while a watcher sees changes: without one a query refreshes for itself.
    try {
      index.setMeta(WATCHER_HEARTBEAT_KEY, watcher ? String(Date.now()) : "0");
    } catch {
      // A busy index: the next beat says it again.
    }
    const rescanEvery = watcher ? RESCAN_WATCHED_MS : RESCAN_UNWATCHED_MS;
    if (Date.now() - lastRefresh >= rescanEvery) soon();
  };
  refresh();
  beat();
  setInterval(beat, HEARTBEAT_MS);
};
