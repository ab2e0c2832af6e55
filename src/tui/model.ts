import type { PendingRequest } from "../core/live/live-state.ts";
import type { LiveSessionDetail, LiveSessionView } from "../core/live/live-view.ts";
import { streamedText, type HubEvent, type SessionUpdate } from "../core/live/hub-event.ts";
import type { DiffStat, FileDiff } from "../core/sessions/diff-types.ts";
import { moveSelection, newDiffTab, scrollBy, summaryOf, withError, withFile, withStat, type DiffSummary, type DiffTab } from "./diff-tab.ts";
import { editCreateField, focusCreateField, newCreateForm, nextCreateMode, type CreateDefaults, type CreateForm } from "./views/create-form.ts";
import { newKillForm, toggleKillOption, type KillForm, type UnsavedWork } from "./views/kill-confirm.ts";
import { newMergeForm, nextMergeMode, type MergeForm } from "./views/merge-form.ts";
import { newMessageForm, type MessageForm } from "./views/message-form.ts";
import { editSearch, historyBack, inHistory, selectConversation, type HistoryState } from "./history-view-state.ts";
import { archiveBack, inArchive, selectArchived, type ArchiveState } from "./archive-view-state.ts";
import { newRenameForm, type RenameForm } from "./views/rename-form.ts";

// The dashboard's state and its pure transitions. Every function returns a new model and
// never mutates its argument, so the screen can keep the previous one and tests can
// compare. The hub is the truth and the only fold: after every change it publishes the
// session's whole view, which `applyEvent` puts in place; the dashboard never folds
// claude's messages itself. A full refresh (`applySessions`) happens at start and after
// the event stream was lost.
//
// A session is (host, name): rows, the selection, pending requests, the event log and
// the streaming text are all keyed by `sessionKey`, `name@host` as the CLI writes it.

export type Mode = "list" | "detail" | "diff" | "help" | "create" | "kill" | "merge" | "message" | "filter" | "history" | "history-search" | "conversation" | "archive" | "archive-entry" | "rename";

import type { HubConnection } from "../hub-client/event-feed.ts";

export type { HubConnection };

/** A pending tool request and the session it belongs to, as /api/pending gives them. */
export type PendingEntry = PendingRequest & { session: string; host?: string };

/** `name@host`: one session on one host. */
export const sessionKey = (session: { name: string; host?: string }) => `${session.name}@${session.host ?? "local"}`;
export const pendingKey = (entry: { session: string; host?: string }) => sessionKey({ name: entry.session, host: entry.host });

export interface Notice {
  kind: "error" | "info";
  text: string;
}

export interface TuiModel {
  sessions: LiveSessionView[];
  /** The configured hosts, shown in the header even while they have no session. */
  hosts: string[];
  /** Every session's pending requests, oldest first. */
  pending: PendingEntry[];
  /** The selected session in full, once the hub answered for it. */
  detail: LiveSessionDetail | null;
  /** The last EVENT_RING stored events of each session (by sessionKey), oldest first. */
  events: Readonly<Record<string, HubEvent[]>>;
  /** The text each session's claude is streaming now (by sessionKey). */
  streaming: Readonly<Record<string, string>>;
  /** A sessionKey, so it stays on the same session when the list re-sorts. */
  selected: string | null;
  filter: string;
  mode: Mode;
  /** Where help and the dialogs go back to. */
  returnTo: "list" | "detail" | "history" | "conversation" | "archive" | "archive-entry";
  helpScroll: number;
  notice: Notice | null;
  hub: HubConnection;
  /** Hub calls under way, and the spinner's frame while there are any. */
  busy: { count: number; frame: number };
  /** The hub answered the first /api/sessions: an empty list means "no sessions", not "loading". */
  loaded: boolean;
  create: CreateForm | null;
  kill: KillForm | null;
  merge: MergeForm | null;
  message: MessageForm | null;
  /** The session view's Diff tab, while it is open (diff mode). */
  diff: DiffTab | null;
  /** Each session's changes against its base, as the list's CHANGES column shows them (by sessionKey). */
  changes: Readonly<Record<string, DiffSummary>>;
  /** The History view (every conversation on every host), while it is open. */
  history: HistoryState | null;
  /** The Archive view (every session that ended on this host), while it is open. */
  archive: ArchiveState | null;
  /** Rename (`e` in a session's view): the conversation's new title. */
  rename: RenameForm | null;
}

export const EVENT_RING = 200;
const STREAMING_MAX = 16_000;

export function initialModel(hosts: string[] = ["local"]): TuiModel {
  return {
    sessions: [],
    hosts,
    pending: [],
    detail: null,
    events: {},
    streaming: {},
    selected: null,
    filter: "",
    mode: "list",
    returnTo: "list",
    helpScroll: 0,
    notice: null,
    hub: { state: "connecting" },
    busy: { count: 0, frame: 0 },
    loaded: false,
    create: null,
    kill: null,
    merge: null,
    message: null,
    diff: null,
    changes: {},
    history: null,
    archive: null,
    rename: null,
  };
}

// ---- the list: order, filter, selection ----

const isWaiting = (s: LiveSessionView) => s.status === "waiting" || s.pendingApprovals > 0;
const rank = (s: LiveSessionView) => (isWaiting(s) ? 0 : s.favourite ? 1 : 2);

/** Waiting sessions first, then favourites, then the rest; by name (then host) in each group. */
export function compareSessions(a: LiveSessionView, b: LiveSessionView): number {
  return rank(a) - rank(b) || a.name.localeCompare(b.name) || a.host.localeCompare(b.host);
}

/** Every word of the filter must occur (any case) in the name, host, status, branch, repo or model. */
export function matchesFilter(session: LiveSessionView, filter: string): boolean {
  const haystack = [session.name, session.host, session.status, session.branch, session.repo, session.model].filter(Boolean).join(" ").toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

export function visibleSessions(model: TuiModel): LiveSessionView[] {
  return model.sessions.filter((s) => matchesFilter(s, model.filter)).sort(compareSessions);
}

export function selectedSession(model: TuiModel): LiveSessionView | null {
  return model.sessions.find((s) => sessionKey(s) === model.selected) ?? null;
}

/** Keeps the selection on a visible session: the same one, or the one now at its place. */
function reselect(model: TuiModel, previousIndex: number): TuiModel {
  const visible = visibleSessions(model);
  if (visible.some((s) => sessionKey(s) === model.selected)) return model;
  const index = Math.min(Math.max(previousIndex, 0), visible.length - 1);
  const next = visible[index];
  return { ...model, selected: next ? sessionKey(next) : null };
}

const indexOfSelected = (model: TuiModel) => visibleSessions(model).findIndex((s) => sessionKey(s) === model.selected);

export function select(model: TuiModel, delta: number): TuiModel {
  if (model.mode === "help") return { ...model, helpScroll: Math.max(0, model.helpScroll + delta) };
  if (model.mode === "diff") return model.diff ? { ...model, diff: moveSelection(model.diff, delta) } : model;
  if (inHistory(model)) return selectConversation(model, delta);
  if (inArchive(model)) return selectArchived(model, delta);
  const visible = visibleSessions(model);
  if (visible.length === 0) return model;
  const index = Math.min(Math.max(indexOfSelected(model) + delta, 0), visible.length - 1);
  return selectSession(model, sessionKey(visible[index]!));
}

export function selectSession(model: TuiModel, key: string): TuiModel {
  if (!model.sessions.some((s) => sessionKey(s) === key)) return model;
  return { ...model, selected: key, detail: model.detail && sessionKey(model.detail) === key ? model.detail : null };
}

export function setFilter(model: TuiModel, filter: string): TuiModel {
  return reselect({ ...model, filter }, 0);
}

// ---- data from the hub ----

export function applySessions(model: TuiModel, sessions: LiveSessionView[]): TuiModel {
  const previousIndex = indexOfSelected(model);
  const keys = new Set(sessions.map(sessionKey));
  const keep = <T>(record: Readonly<Record<string, T>>) => Object.fromEntries(Object.entries(record).filter(([key]) => keys.has(key)));
  const next: TuiModel = {
    ...model,
    sessions,
    loaded: true,
    pending: model.pending.filter((p) => keys.has(pendingKey(p))),
    events: keep(model.events),
    streaming: keep(model.streaming),
  };
  const gone = model.selected !== null && !keys.has(model.selected);
  if (gone && (model.mode === "detail" || model.mode === "kill" || model.mode === "merge" || model.mode === "message" || model.mode === "rename")) {
    const notice: Notice = { kind: "info", text: `${model.selected} is gone` };
    return reselect({ ...next, mode: "list", returnTo: "list", detail: null, kill: null, merge: null, message: null, rename: null, notice }, previousIndex);
  }
  const selected = sessions.find((s) => sessionKey(s) === model.selected);
  const detail = next.detail && selected ? { ...next.detail, ...selected } : null;
  return reselect({ ...next, detail, returnTo: gone ? "list" : next.returnTo }, previousIndex);
}

export function applyPending(model: TuiModel, pending: PendingEntry[]): TuiModel {
  return { ...model, pending: [...pending].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)) };
}

/**
 * The hub's list and pending requests, fetched while its events kept coming: a session an
 * event touched meanwhile (`touched`, by key) keeps what the event said, which is newer than
 * the list; one an event removed stays gone, one it added stays.
 */
export function applySnapshot(model: TuiModel, sessions: LiveSessionView[], pending: PendingEntry[], touched: ReadonlySet<string>): TuiModel {
  if (touched.size === 0) return applyPending(applySessions(model, sessions), pending);
  const current = new Map(model.sessions.map((s) => [sessionKey(s), s]));
  const listed = new Set(sessions.map(sessionKey));
  const merged = [
    ...sessions.flatMap((s) => (touched.has(sessionKey(s)) ? (current.has(sessionKey(s)) ? [current.get(sessionKey(s))!] : []) : [s])),
    ...[...touched].flatMap((key) => (!listed.has(key) && current.has(key) ? [current.get(key)!] : [])),
  ];
  const kept = [...pending.filter((p) => !touched.has(pendingKey(p))), ...model.pending.filter((p) => touched.has(pendingKey(p)))];
  return applyPending(applySessions(model, merged), kept);
}

export function applyDetail(model: TuiModel, detail: LiveSessionDetail): TuiModel {
  const key = sessionKey(detail);
  if (key !== model.selected) return model;
  const others = model.pending.filter((p) => pendingKey(p) !== key);
  const pending = [...others, ...detail.pending.map((p) => ({ ...p, session: detail.name, host: detail.host }))].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return { ...model, detail, pending, streaming: { ...model.streaming, [key]: detail.streamingText } };
}

/** Stored events fetched for a session (its log's tail), merged with what the stream brought. */
export function applyEventLog(model: TuiModel, key: string, events: HubEvent[]): TuiModel {
  const bySeq = new Map<number, HubEvent>();
  for (const event of [...(model.events[key] ?? []), ...events]) if (event.seq !== null) bySeq.set(event.seq, event);
  const merged = [...bySeq.values()].sort((a, b) => a.seq! - b.seq!).slice(-EVENT_RING);
  return { ...model, events: { ...model.events, [key]: merged } };
}

export function applyEvent(model: TuiModel, event: HubEvent): TuiModel {
  const key = sessionKey({ name: event.session, host: event.host });
  switch (event.kind) {
    case "view":
      return applyUpdate(model, event.host ?? "local", event.data);
    case "removed":
      return applySessions(model, model.sessions.filter((s) => sessionKey(s) !== key));
    case "stream":
      return setStreaming(model, key, (model.streaming[key] ?? "") + streamedText(event));
    default: {
      if (event.seq === null) return model;
      const ring = model.events[key] ?? [];
      if (ring.length > 0 && ring.at(-1)!.seq! >= event.seq) return model;
      return { ...model, events: { ...model.events, [key]: [...ring, event].slice(-EVENT_RING) } };
    }
  }
}

/** A session's whole view from the hub: its row, its pending requests, what it streams. */
function applyUpdate(model: TuiModel, host: string, update: SessionUpdate): TuiModel {
  const view = { ...update.view, host };
  const key = sessionKey(view);
  const known = model.sessions.some((s) => sessionKey(s) === key);
  const sessions = known ? model.sessions.map((s) => (sessionKey(s) === key ? view : s)) : [...model.sessions, view];
  const others = model.pending.filter((p) => pendingKey(p) !== key);
  const pending = [...others, ...update.pending.map((p) => ({ ...p, session: view.name, host }))].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  let next: TuiModel = setStreaming({ ...model, sessions, pending }, key, update.streamingText);
  if (next.detail && sessionKey(next.detail) === key) {
    next = { ...next, detail: { ...view, pending: update.pending, streamingText: next.streaming[key] ?? "" } };
  }
  return known ? next : reselect(next, indexOfSelected(model));
}

function setStreaming(model: TuiModel, key: string, text: string): TuiModel {
  const streaming = text.length > STREAMING_MAX ? text.slice(-STREAMING_MAX) : text;
  const detail = model.detail && sessionKey(model.detail) === key ? { ...model.detail, streamingText: streaming } : model.detail;
  return { ...model, detail, streaming: { ...model.streaming, [key]: streaming } };
}

export const setConnection = (model: TuiModel, hub: HubConnection): TuiModel => ({ ...model, hub });

/** A hub call started (+1) or ended (-1). */
export const setBusy = (model: TuiModel, delta: number): TuiModel => ({ ...model, busy: { ...model.busy, count: Math.max(0, model.busy.count + delta) } });
export const spin = (model: TuiModel): TuiModel => ({ ...model, busy: { ...model.busy, frame: model.busy.frame + 1 } });

// ---- approvals ----

/** A session's pending requests, by sessionKey. */
export function pendingOf(model: TuiModel, key: string): PendingEntry[] {
  return model.pending.filter((p) => pendingKey(p) === key);
}

export const oldestPending = (model: TuiModel): PendingEntry | null => model.pending[0] ?? null;

/** The request y/n answer: the oldest of the session on screen (detail mode only). */
export function currentRequest(model: TuiModel): PendingEntry | null {
  if (model.mode !== "detail" || model.selected === null) return null;
  return pendingOf(model, model.selected)[0] ?? null;
}

/** Opens the session whose request has waited longest (clearing a filter that hides it). */
/** The request waiting longest; in a session's view, in another session (its own is on screen). */
export function jumpToOldestPending(model: TuiModel): TuiModel {
  const oldest = model.pending.find((p) => model.mode !== "detail" || pendingKey(p) !== model.selected) ?? null;
  const session = oldest ? model.sessions.find((s) => sessionKey(s) === pendingKey(oldest)) : undefined;
  if (!session) return model;
  const filter = matchesFilter(session, model.filter) ? model.filter : "";
  return { ...selectSession({ ...model, filter }, sessionKey(session)), mode: "detail", returnTo: "detail" };
}

// ---- modes and dialogs ----

export function setMode(model: TuiModel, mode: Mode): TuiModel {
  const returnTo = mode === "list" || mode === "detail" || mode === "history" || mode === "conversation" || mode === "archive" || mode === "archive-entry" ? mode : model.returnTo;
  return { ...model, mode, returnTo, helpScroll: mode === "help" ? 0 : model.helpScroll };
}

export function openDetail(model: TuiModel): TuiModel {
  return selectedSession(model) ? setMode(model, "detail") : model;
}

/** Escape: out of a dialog, help or the filter to where it was opened; from detail to the list. */
export function back(model: TuiModel): TuiModel {
  const closed = { ...model, create: null, kill: null, merge: null, message: null, rename: null };
  if (model.mode === "detail") return setMode(closed, "list");
  if (model.mode === "diff") return setMode({ ...closed, diff: null }, "detail");
  if (inHistory(model)) return historyBack(closed);
  if (inArchive(model)) return archiveBack(closed);
  if (model.mode === "filter") return setFilter(setMode(closed, model.returnTo), "");
  return setMode(closed, model.returnTo);
}

/** Enter in the filter: keep it and go back to the list. */
export const applyFilter = (model: TuiModel): TuiModel => setMode(model, "list");

export const openFilter = (model: TuiModel): TuiModel => setMode(model, "filter");

export function openMerge(model: TuiModel): TuiModel {
  const session = selectedSession(model);
  return session ? { ...setMode(model, "merge"), merge: newMergeForm(session) } : model;
}

export const cycleMergeMode = (model: TuiModel): TuiModel => (model.merge ? { ...model, merge: nextMergeMode(model.merge) } : model);

/** The selected session's Diff tab, from its view; the dashboard fetches what it shows. */
export function openDiff(model: TuiModel): TuiModel {
  return model.selected && selectedSession(model) ? { ...setMode(model, "diff"), diff: newDiffTab(model.selected) } : model;
}

/** Scrolls the open file's diff (Page Up/Down). */
export const scrollDiff = (model: TuiModel, delta: number): TuiModel => (model.diff ? { ...model, diff: scrollBy(model.diff, delta) } : model);

/** A diff stat or a file's diff from the hub, for the tab if it is still open on that session. */
export function applyDiff(model: TuiModel, key: string, update: { stat: DiffStat } | { file: FileDiff } | { error: string }): TuiModel {
  const changes = "stat" in update ? { ...model.changes, [key]: summaryOf(update.stat) } : model.changes;
  if (!model.diff || model.diff.key !== key) return { ...model, changes };
  const tab = "stat" in update ? withStat(model.diff, update.stat) : "file" in update ? withFile(model.diff, update.file) : withError(model.diff, update.error);
  return { ...model, changes, diff: tab };
}
export const openHelp = (model: TuiModel): TuiModel => setMode(model, "help");

export function openCreate(model: TuiModel, defaults: CreateDefaults = {}): TuiModel {
  return { ...setMode(model, "create"), create: newCreateForm(defaults) };
}

export function openKill(model: TuiModel): TuiModel {
  const session = selectedSession(model);
  return session ? { ...setMode(model, "kill"), kill: newKillForm(session) } : model;
}

export function openMessage(model: TuiModel): TuiModel {
  const session = selectedSession(model);
  return session ? { ...setMode(model, "message"), message: newMessageForm(session.name) } : model;
}

/** Rename the selected session's conversation (it needs one: claude started). */
export function openRename(model: TuiModel): TuiModel {
  const session = selectedSession(model);
  return session?.claudeSessionId ? { ...setMode(model, "rename"), rename: newRenameForm({ ...session, claudeSessionId: session.claudeSessionId }) } : model;
}

function editText(model: TuiModel, edit: (value: string) => string): TuiModel {
  if (model.mode === "filter") return setFilter(model, edit(model.filter));
  if (model.mode === "history-search") return editSearch(model, edit);
  if (model.mode === "create" && model.create) return { ...model, create: editCreateField(model.create, edit) };
  if (model.mode === "message" && model.message) return { ...model, message: { ...model.message, text: edit(model.message.text), error: null } };
  if (model.mode === "rename" && model.rename) return { ...model, rename: { ...model.rename, text: edit(model.rename.text), error: null } };
  return model;
}

/** Printable input in the filter or a form. */
export const typeText = (model: TuiModel, text: string) => editText(model, (value) => value + text);
export const deleteChar = (model: TuiModel) => editText(model, (value) => Array.from(value).slice(0, -1).join(""));

export function focusField(model: TuiModel, delta: number): TuiModel {
  return model.create ? { ...model, create: focusCreateField(model.create, delta) } : model;
}

/** The create form's Mode: native, headless, round again. */
export const cycleCreateMode = (model: TuiModel): TuiModel => (model.create ? { ...model, create: nextCreateMode(model.create) } : model);

export function toggleKill(model: TuiModel, option: "deleteBranch" | "force"): TuiModel {
  return model.kill ? { ...model, kill: toggleKillOption(model.kill, option) } : model;
}

/** The open form was submitted (busy) or answered (not busy). */
export function setFormBusy(model: TuiModel, busy: boolean): TuiModel {
  if (model.mode === "create" && model.create) return { ...model, create: { ...model.create, busy } };
  if (model.mode === "kill" && model.kill) return { ...model, kill: { ...model.kill, busy } };
  if (model.mode === "merge" && model.merge) return { ...model, merge: { ...model.merge, busy } };
  if (model.mode === "message" && model.message) return { ...model, message: { ...model.message, busy } };
  if (model.mode === "rename" && model.rename) return { ...model, rename: { ...model.rename, busy } };
  return model;
}

/** A failure shown in the open form, which stays open; `unsaved` comes with a refused kill. */
export function formFailed(model: TuiModel, error: string, unsaved?: UnsavedWork): TuiModel {
  if (model.mode === "create" && model.create) return { ...model, create: { ...model.create, busy: false, error } };
  if (model.mode === "kill" && model.kill) return { ...model, kill: { ...model.kill, busy: false, error, unsaved: unsaved ?? null } };
  if (model.mode === "merge" && model.merge) return { ...model, merge: { ...model.merge, busy: false, error } };
  if (model.mode === "message" && model.message) return { ...model, message: { ...model.message, busy: false, error } };
  if (model.mode === "rename" && model.rename) return { ...model, rename: { ...model.rename, busy: false, error } };
  return setNotice(model, "error", error);
}

/** A form's work is done: it closes if it is still the one open (the person may have moved on), and says so. */
export const formDone = (model: TuiModel, mode: Mode, text: string): TuiModel => setNotice(model.mode === mode ? back(model) : model, "info", text);

export const setNotice = (model: TuiModel, kind: Notice["kind"], text: string): TuiModel => ({ ...model, notice: { kind, text } });
export const clearNotice = (model: TuiModel): TuiModel => (model.notice ? { ...model, notice: null } : model);
