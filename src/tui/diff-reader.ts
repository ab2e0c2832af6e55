import type { DiffStat, FileDiff } from "../core/sessions/diff-types.ts";
import { callHub } from "../hub-client/api.ts";
import type { HubClient } from "../hub-client/client.ts";
import { applyDiff, sessionKey, type TuiModel } from "./model.ts";

// What the dashboard reads of sessions' diffs: the Diff tab's stat and the selected file's
// diff, and each session's stat for the list's CHANGES column (a few at a time: each is
// git work on the session's host).

const CHANGES_AT_ONCE = 3;

export class DiffReader {
  private readonly queue = new Set<string>();
  private running = 0;

  constructor(
    private readonly hub: HubClient,
    private readonly model: () => TuiModel,
    private readonly update: (model: TuiModel) => void,
  ) {}

  private sessionOf(key: string) {
    return this.model().sessions.find((s) => sessionKey(s) === key);
  }

  private async stat(session: { host: string; name: string }): Promise<DiffStat> {
    return (await callHub(this.hub, "GET /api/sessions/:host/:name/diff", { session, query: { stat: "1" } })) as DiffStat;
  }

  /** The Diff tab's stat, then its first file. */
  async openTab(key: string): Promise<void> {
    const session = this.sessionOf(key);
    if (!session) return;
    try {
      // The model as it is once the stat is in, never as it was when asked: an Esc meanwhile stays.
      const stat = await this.stat(session);
      this.update(applyDiff(this.model(), key, { stat }));
      await this.readFile(key);
    } catch (error) {
      this.update(applyDiff(this.model(), key, { error: (error as Error).message.split("\n")[0]! }));
    }
  }

  /** The selected file's diff (a binary file has none to read). */
  async readFile(key: string): Promise<void> {
    const session = this.sessionOf(key);
    const tab = this.model().diff;
    const file = tab?.key === key ? tab.stat?.files[tab.selected] : undefined;
    if (!session || !file || file.binary) return;
    const diff = (await callHub(this.hub, "GET /api/sessions/:host/:name/diff", { session, query: { file: file.path } })) as FileDiff;
    this.update(applyDiff(this.model(), key, { file: diff }));
  }

  /** Queues these sessions' stats for the CHANGES column. */
  readChanges(keys: string[]): void {
    for (const key of keys) this.queue.add(key);
    while (this.running < CHANGES_AT_ONCE && this.queue.size > 0) {
      const key = this.queue.values().next().value!;
      this.queue.delete(key);
      this.running += 1;
      void this.readChangesOf(key).finally(() => {
        this.running -= 1;
        this.readChanges([]);
      });
    }
  }

  private async readChangesOf(key: string): Promise<void> {
    const session = this.sessionOf(key);
    if (!session || session.status === "dead" || session.status === "unknown") return;
    const stat = await this.stat(session).catch(() => null);
    if (!stat) return;
    this.update(applyDiff(this.model(), key, { stat }));
    // The Diff tab open on this session shows the selected file as it is now, not as it was.
    if (this.model().diff?.key === key) await this.readFile(key).catch(() => undefined);
  }
}
