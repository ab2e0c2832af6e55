// Which of the list's columns fit a width. Columns are kept in order of priority; one
// flexible column (the last message) takes what is left. A column that does not fit is
// skipped, and a later (less important but narrower) one may still be shown.

export interface ColumnSpec<Id extends string> {
  id: Id;
  width: number;
  /** Lower is more important; Infinity: never shown. */
  priority: number;
  /** The flexible column: `width` is its minimum, and it gets the rest. */
  flex?: boolean;
}

export const COLUMN_GAP = 1;

/** The columns to show, in their given order, with their widths. */
export function layoutColumns<Id extends string>(specs: ColumnSpec<Id>[], width: number, reserved: number): Map<Id, number> {
  const chosen = new Set<Id>();
  let used = reserved;
  const byPriority = [...specs].filter((spec) => Number.isFinite(spec.priority)).sort((a, b) => a.priority - b.priority);
  for (const spec of byPriority) {
    const cost = spec.width + (chosen.size > 0 ? COLUMN_GAP : 0);
    if (used + cost > width && chosen.size > 0) continue;
    chosen.add(spec.id);
    used += cost;
  }
  const widths = new Map<Id, number>();
  for (const spec of specs) if (chosen.has(spec.id)) widths.set(spec.id, spec.width);
  const flex = specs.find((spec) => spec.flex && chosen.has(spec.id));
  if (flex) widths.set(flex.id, flex.width + Math.max(0, width - used));
  return widths;
}
