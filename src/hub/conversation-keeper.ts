import { conversationIndexPath } from "../config/paths.ts";
import { claudeConfigDir } from "../adapters/claude-files.ts";
import { archivedEnd, LocalConversations, WATCHER_HEARTBEAT_KEY } from "../core/conversations/local-conversations.ts";
import type { Context } from "../core/context.ts";
import { ConversationIndex } from "../store/conversation-index.ts";
import type { IndexerMessage, IndexerStart } from "./conversation-indexer-worker.ts";

// The hub's side of the conversation index: the worker that keeps it fresh, and a reading
// connection for the API. Queries never refresh here (the worker does), so an API search
// costs the FTS lookup alone.

export class ConversationKeeper {
  private worker: Worker | null = null;
  private reader: LocalConversations | null = null;
  /** The worker's last report, for health and tests. */
  lastReport: IndexerMessage | null = null;
  private readyWaiters: (() => void)[] = [];
  private titles = new Map<string, string | null>();
  /** Called with the conversation ids whose title changed in the last pass. */
  onTitles: (changed: string[]) => void = () => undefined;

  constructor(private readonly ctx: Context) {}

  private indexPath(): string {
    return conversationIndexPath(this.ctx.settings.paths, claudeConfigDir(this.ctx.env));
  }

  /** The title of a csm session's conversation, as of the indexer's last pass. */
  titleOf(id: string | null): string | null {
    return id === null ? null : (this.titles.get(id) ?? null);
  }

  /** After each pass: the titles of csm's sessions' conversations, and which of them changed. */
  private refreshTitles(): void {
    const ids = this.ctx.sessions().all(this.ctx.host.hostName).flatMap((record) => (record.claudeSessionId ? [record.claudeSessionId] : []));
    const fresh = this.local().index.titlesOf(ids);
    const changed = ids.filter((id) => (fresh.get(id) ?? null) !== (this.titles.get(id) ?? null));
    this.titles = fresh;
    if (changed.length > 0) this.onTitles(changed);
  }

  start(): void {
    if (this.worker) return;
    // import.meta.dir, not a URL relative to this module: in a prebuilt bundle it still
    // names the sources (see src/prebuilt/build.ts), where the worker's file is.
    this.worker = new Worker(`${import.meta.dir}/conversation-indexer-worker.ts`);
    this.worker.onmessage = (event: MessageEvent<IndexerMessage>) => {
      this.lastReport = event.data;
      try {
        if (event.data.kind === "refreshed") this.refreshTitles();
      } catch {
        // The store or the index is busy or closing: the next pass says it again.
      }
      for (const resolve of this.readyWaiters.splice(0)) resolve();
    };
    // An indexer that dies leaves the hub running; CLI queries then refresh for themselves.
    this.worker.onerror = () => undefined;
    this.worker.postMessage({ indexPath: this.indexPath(), configDir: claudeConfigDir(this.ctx.env) } satisfies IndexerStart);
    this.worker.unref();
  }

  /**
   * Resolves once the worker's first pass is done (at once when it is, or when no worker
   * runs): a question asked of a hub that just started must not get an index half built.
   */
  indexed(): Promise<void> {
    return this.lastReport !== null || this.worker === null ? Promise.resolve() : this.nextPass();
  }

  /** Resolves after the worker's next pass (the first one: the index is built). */
  nextPass(): Promise<void> {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** A reading view of this host's conversations; the worker keeps the index fresh. */
  local(): LocalConversations {
    if (!this.reader) {
      const index = ConversationIndex.open(this.indexPath());
      this.reader = new LocalConversations(index, claudeConfigDir(this.ctx.env), this.ctx.host.hostName, () => this.ctx.sessions().all(this.ctx.host.hostName), archivedEnd(this.ctx));
    }
    // Who holds what changes while the hub runs: asked again per query.
    this.reader.forgetHolders();
    return this.reader;
  }

  stop(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    // The next hub (or a CLI query) must not trust a heartbeat this hub no longer gives.
    try {
      this.local().index.setMeta(WATCHER_HEARTBEAT_KEY, "0");
    } catch {
      // Stopping anyway: the heartbeat goes stale on its own.
    }
    this.reader?.close();
    this.reader = null;
  }
}
