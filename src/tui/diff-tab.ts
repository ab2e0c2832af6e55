import type { DiffStat, FileDiff } from "../core/sessions/diff-types.ts";

// The session view's Diff tab, as data: the session's stat (fetched when the tab opens),
// which file is selected, that file's diff (fetched when it is selected) and how far it is
// scrolled. Pure transitions; the dashboard does the fetching.

export interface DiffTab {
  /** sessionKey of the session it shows. */
  key: string;
  stat: DiffStat | null;
  error: string | null;
  /** Index into stat.files. */
  selected: number;
  file: FileDiff | null;
  scroll: number;
}

/** What the list's CHANGES column shows of a session's diff. */
export interface DiffSummary {
  files: number;
  ahead: number;
  behind: number;
}

export const newDiffTab = (key: string): DiffTab => ({ key, stat: null, error: null, selected: 0, file: null, scroll: 0 });

/** A new stat: the same file stays selected (by path; files come and go as claude works), its diff kept for now. */
export function withStat(tab: DiffTab, stat: DiffStat): DiffTab {
  const path = selectedPath(tab);
  const same = path === null ? -1 : stat.files.findIndex((file) => file.path === path);
  const selected = same >= 0 ? same : Math.min(tab.selected, Math.max(0, stat.files.length - 1));
  const kept = same >= 0;
  return { ...tab, stat, error: null, selected, file: kept ? tab.file : null, scroll: kept ? tab.scroll : 0 };
}

export const withError = (tab: DiffTab, error: string): DiffTab => ({ ...tab, error });

/** The selected file's path, once the stat is in. */
export const selectedPath = (tab: DiffTab): string | null => tab.stat?.files[tab.selected]?.path ?? null;

/** A file's diff arrives: kept only if it is still the selected file's. */
export function withFile(tab: DiffTab, file: FileDiff): DiffTab {
  if (file.path !== selectedPath(tab)) return tab;
  // The same file read again (claude changed it): the reader keeps their place.
  const lines = file.diff.split("\n").length;
  return { ...tab, file, scroll: tab.file?.path === file.path ? Math.min(tab.scroll, Math.max(0, lines - 1)) : 0 };
}

export function moveSelection(tab: DiffTab, delta: number): DiffTab {
  const count = tab.stat?.files.length ?? 0;
  if (count === 0) return tab;
  const selected = Math.min(Math.max(tab.selected + delta, 0), count - 1);
  return selected === tab.selected ? tab : { ...tab, selected, file: null, scroll: 0 };
}

export function scrollBy(tab: DiffTab, delta: number): DiffTab {
  const lines = tab.file ? tab.file.diff.split("\n").length : 0;
  return { ...tab, scroll: Math.min(Math.max(tab.scroll + delta, 0), Math.max(0, lines - 1)) };
}

export const summaryOf = (stat: DiffStat): DiffSummary => ({ files: stat.files.length, ahead: stat.ahead, behind: stat.behind });
