import type { ConversationInfo, ConversationRecord, SearchHit } from "../core/conversations/conversation-record.ts";
import { setMode, type TuiModel } from "./model.ts";

// The History view (`h`) as data: every Claude conversation on every host, newest first,
// or the hits of what is typed in its search box, ranked; the selected one's info (Enter);
// a resume under way (r). Pure transitions; history-tab.ts does the asking. Each question
// to the hub carries a number, and only the answer to the newest question is shown, so a
// slow answer to an old query never replaces a newer one.

/** What GET /api/conversations answers. */
export interface ConversationsAnswer {
  conversations: (ConversationRecord | SearchHit)[];
  hosts: { host: string; error: string | null }[];
}

export interface HistoryState {
  /** What is in the search box; "" lists every conversation. */
  query: string;
  /** The query whose answer is on screen; null until the first answer. */
  shown: string | null;
  rows: (ConversationRecord | SearchHit)[];
  /** Hosts that did not answer, and why. */
  hostErrors: { host: string; error: string }[];
  /** conversationKey of the selected row, so it stays on the same one when rows change. */
  selected: string | null;
  /** The number of the newest question sent; answers to any other are dropped. */
  asked: number;
  loading: boolean;
  error: string | null;
  /** The selected conversation's info, once the hub answered (Enter). */
  info: ConversationInfo | null;
  infoError: string | null;
  resuming: boolean;
}

/** `id@host`: one conversation on one host. */
export const conversationKey = (record: { id: string; host: string }) => `${record.id}@${record.host}`;

export const isSearchHit = (row: ConversationRecord | SearchHit): row is SearchHit => "snippet" in row && typeof row.snippet === "string";

export const newHistory = (): HistoryState => ({
  query: "",
  shown: null,
  rows: [],
  hostErrors: [],
  selected: null,
  asked: 0,
  loading: false,
  error: null,
  info: null,
  infoError: null,
  resuming: false,
});

export function selectedConversation(history: HistoryState): ConversationRecord | SearchHit | null {
  return history.rows.find((row) => conversationKey(row) === history.selected) ?? null;
}

/** A question about `history.query` goes out as number `seq`. */
export const asked = (history: HistoryState, seq: number): HistoryState => ({ ...history, asked: seq, loading: true });

/** The answer to question `seq` (about `query`); dropped unless it is the newest question's. */
export function answered(history: HistoryState, seq: number, query: string, answer: ConversationsAnswer | { error: string }): HistoryState {
  if (seq !== history.asked) return history;
  if ("error" in answer) return { ...history, loading: false, error: answer.error };
  const rows = answer.conversations;
  const keep = rows.some((row) => conversationKey(row) === history.selected);
  const selected = keep ? history.selected : rows[0] ? conversationKey(rows[0]) : null;
  const hostErrors = answer.hosts.flatMap((host) => (host.error ? [{ host: host.host, error: host.error }] : []));
  return { ...history, rows, shown: query, hostErrors, selected, loading: false, error: null };
}

export function moveSelection(history: HistoryState, delta: number): HistoryState {
  if (history.rows.length === 0) return history;
  const index = history.rows.findIndex((row) => conversationKey(row) === history.selected);
  const next = Math.min(Math.max(index + delta, 0), history.rows.length - 1);
  return { ...history, selected: conversationKey(history.rows[next]!), info: null, infoError: null };
}

/** The info of the selected conversation; a late answer about another one is dropped. */
export function withInfo(history: HistoryState, key: string, info: ConversationInfo | { error: string }): HistoryState {
  if (key !== history.selected) return history;
  return "error" in info ? { ...history, info: null, infoError: info.error } : { ...history, info, infoError: null };
}

// ---- the dashboard's model ----

export const HISTORY_MODES = new Set(["history", "history-search", "conversation"]);
export const inHistory = (model: TuiModel) => HISTORY_MODES.has(model.mode);

/** `h`: the History view, empty until the hub answers (history-tab.ts asks at once). */
export const openHistory = (model: TuiModel): TuiModel => ({ ...setMode(model, "history"), history: newHistory() });

const withHistory = (model: TuiModel, change: (history: HistoryState) => HistoryState): TuiModel => (model.history ? { ...model, history: change(model.history) } : model);

export const selectConversation = (model: TuiModel, delta: number) => withHistory(model, (history) => moveSelection(history, delta));

/** Enter on a row: its info (fetched by history-tab.ts). */
export function openConversation(model: TuiModel): TuiModel {
  if (!model.history || !selectedConversation(model.history)) return model;
  return { ...setMode(model, "conversation"), history: { ...model.history, info: null, infoError: null } };
}

export const openSearch = (model: TuiModel): TuiModel => (model.history ? setMode(model, "history-search") : model);

/** Enter in the search box: keep the query, back to the rows. */
export const keepSearch = (model: TuiModel): TuiModel => setMode(model, "history");

export const editSearch = (model: TuiModel, edit: (query: string) => string): TuiModel => withHistory(model, (history) => ({ ...history, query: edit(history.query) }));

/** Esc: the search box clears itself; info goes back to the rows; the rows to the session list. */
export function historyBack(model: TuiModel): TuiModel {
  if (model.mode === "history-search") return editSearch(setMode(model, "history"), () => "");
  if (model.mode === "conversation") return setMode(model, "history");
  return { ...setMode(model, "list"), history: null };
}

/** The resumed conversation now runs as session `key`: the session list, that session selected. */
export const resumedAs = (model: TuiModel, key: string): TuiModel => ({ ...setMode(model, "list"), history: null, filter: "", selected: key, detail: null });

export const setResuming = (model: TuiModel, resuming: boolean) => withHistory(model, (history) => ({ ...history, resuming }));
