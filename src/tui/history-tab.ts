import type { ConversationInfo } from "../core/conversations/conversation-record.ts";
import type { SessionView } from "../core/sessions/session-view.ts";
import { conversation, conversations, resumeConversation } from "../hub-client/api.ts";
import type { HubClient } from "../hub-client/client.ts";
import { answered, asked, conversationKey, selectedConversation, setResuming, withInfo, type ConversationsAnswer } from "./history-view-state.ts";
import type { TuiModel } from "./model.ts";

// What the History view asks the hub: the conversations (or a search's hits) when it opens
// and as the search box changes, the selected conversation's info on Enter, and a resume
// on r. Typing is debounced: one question per pause, not per key; each question is
// numbered and the state keeps only the newest one's answer (history-view-state.ts).

export interface ConversationsApi {
  conversations(query: { search?: string }): Promise<ConversationsAnswer>;
  conversation(id: string, host: string): Promise<ConversationInfo>;
  resumeConversation(id: string, host: string): Promise<SessionView>;
}

export const hubConversations = (hub: HubClient): ConversationsApi => ({
  conversations: (query) => conversations(hub, query),
  conversation: (id, host) => conversation(hub, id, host),
  resumeConversation: (id, host) => resumeConversation(hub, id, { host }),
});

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };

/** A pause in typing this long sends the search. */
export const SEARCH_DEBOUNCE_MS = 150;

const firstLine = (error: unknown) => ((error as Error).message ?? String(error)).split("\n")[0]!;

export class HistoryTab {
  /** Never reset, so an answer from a History view closed since cannot land in a new one. */
  private seq = 0;
  private timer: unknown = null;

  constructor(
    private readonly api: ConversationsApi,
    private readonly model: () => TuiModel,
    private readonly update: (model: TuiModel) => void,
    private readonly timers: Timers = realTimers,
    private readonly debounceMs = SEARCH_DEBOUNCE_MS,
  ) {}

  /** After a key changed the model: open, type, Enter on a row, or close. */
  afterKey(before: TuiModel, after: TuiModel): void {
    if (!after.history) return this.cancel();
    // A History view never asked (asked is 0) was just opened.
    if (after.history.asked === 0 && !after.history.loading) void this.search();
    else if (before.history && before.history.query !== after.history.query) this.searchSoon();
    if (after.mode === "conversation" && before.mode !== "conversation") void this.readInfo();
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private searchSoon(): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.search();
    }, this.debounceMs);
  }

  /** Asks now about what the search box holds; only the newest question's answer is kept. */
  async search(): Promise<void> {
    const history = this.model().history;
    if (!history) return;
    const seq = ++this.seq;
    const query = history.query.trim();
    this.update({ ...this.model(), history: asked(history, seq) });
    let answer: ConversationsAnswer | { error: string };
    try {
      answer = await this.api.conversations(query === "" ? {} : { search: query });
    } catch (error) {
      answer = { error: firstLine(error) };
    }
    const now = this.model();
    if (now.history) this.update({ ...now, history: answered(now.history, seq, query, answer) });
  }

  /** The selected conversation's info, asked of the host it lives on. */
  async readInfo(): Promise<void> {
    const row = this.model().history && selectedConversation(this.model().history!);
    if (!row) return;
    const key = conversationKey(row);
    let info: ConversationInfo | { error: string };
    try {
      info = await this.api.conversation(row.id, row.host);
    } catch (error) {
      info = { error: firstLine(error) };
    }
    const now = this.model();
    if (now.history) this.update({ ...now, history: withInfo(now.history, key, info) });
  }

  /** Resumes the selected conversation; the new session's view, or throws the hub's refusal. */
  async resume(): Promise<SessionView | null> {
    const history = this.model().history;
    const row = history ? selectedConversation(history) : null;
    if (!row || history!.resuming) return null;
    this.update(setResuming(this.model(), true));
    try {
      return await this.api.resumeConversation(row.id, row.host);
    } finally {
      this.update(setResuming(this.model(), false));
    }
  }

  stop(): void {
    this.cancel();
  }
}
