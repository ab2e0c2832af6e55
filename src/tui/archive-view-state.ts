import type { ArchiveListItem, Postmortem } from "../core/sessions/archive-show.ts";
import { setMode, type TuiModel } from "./model.ts";

// The Archive view (`A`) as data: every session that ended on this host, newest end first,
// and the selected one's postmortem (Enter). Pure transitions; archive-tab.ts does the
// asking. A postmortem that arrives for an entry no longer selected is dropped.

export interface ArchiveState {
  /** null until the hub answered. */
  rows: ArchiveListItem[] | null;
  /** The selected entry's archive id, so it stays on the same one when rows change. */
  selected: number | null;
  loading: boolean;
  error: string | null;
  /** The selected entry's postmortem, once the hub answered (Enter). */
  postmortem: Postmortem | null;
  postmortemError: string | null;
  /** The first line of the postmortem shown (Page Up/Down). */
  scroll: number;
}

export const newArchive = (): ArchiveState => ({ rows: null, selected: null, loading: false, error: null, postmortem: null, postmortemError: null, scroll: 0 });

export function selectedArchived(archive: ArchiveState): ArchiveListItem | null {
  return archive.rows?.find((row) => row.id === archive.selected) ?? null;
}

export const asking = (archive: ArchiveState): ArchiveState => ({ ...archive, loading: true });

/** The hub's list (or why there is none); the selection stays on its entry, else the newest. */
export function answered(archive: ArchiveState, answer: ArchiveListItem[] | { error: string }): ArchiveState {
  if (!Array.isArray(answer)) return { ...archive, loading: false, error: answer.error };
  const keep = answer.some((row) => row.id === archive.selected);
  return { ...archive, rows: answer, loading: false, error: null, selected: keep ? archive.selected : (answer[0]?.id ?? null) };
}

export function moveSelection(archive: ArchiveState, delta: number): ArchiveState {
  const rows = archive.rows ?? [];
  if (rows.length === 0) return archive;
  const index = rows.findIndex((row) => row.id === archive.selected);
  const next = Math.min(Math.max(index + delta, 0), rows.length - 1);
  return { ...archive, selected: rows[next]!.id, postmortem: null, postmortemError: null, scroll: 0 };
}

export function withPostmortem(archive: ArchiveState, id: number, answer: Postmortem | { error: string }): ArchiveState {
  if (id !== archive.selected) return archive;
  return "error" in answer ? { ...archive, postmortem: null, postmortemError: answer.error } : { ...archive, postmortem: answer, postmortemError: null };
}

// ---- the dashboard's model ----

export const ARCHIVE_MODES = new Set(["archive", "archive-entry"]);
export const inArchive = (model: TuiModel) => ARCHIVE_MODES.has(model.mode);

/** `A`: the Archive view, empty until the hub answers (archive-tab.ts asks at once). */
export const openArchive = (model: TuiModel): TuiModel => ({ ...setMode(model, "archive"), archive: newArchive() });

const withArchive = (model: TuiModel, change: (archive: ArchiveState) => ArchiveState): TuiModel => (model.archive ? { ...model, archive: change(model.archive) } : model);

export const selectArchived = (model: TuiModel, delta: number) => withArchive(model, (archive) => moveSelection(archive, delta));

/** Enter on a row: its postmortem (fetched by archive-tab.ts). */
export function openArchiveEntry(model: TuiModel): TuiModel {
  if (!model.archive || !selectedArchived(model.archive)) return model;
  return { ...setMode(model, "archive-entry"), archive: { ...model.archive, postmortem: null, postmortemError: null, scroll: 0 } };
}

export const scrollArchiveEntry = (model: TuiModel, delta: number) => withArchive(model, (archive) => ({ ...archive, scroll: Math.max(0, archive.scroll + delta) }));

/** Esc: the postmortem goes back to the rows; the rows to the session list. */
export function archiveBack(model: TuiModel): TuiModel {
  if (model.mode === "archive-entry") return setMode(model, "archive");
  return { ...setMode(model, "list"), archive: null };
}
