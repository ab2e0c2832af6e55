import { emptyEntry, readTrash, restoreFromTrash, type TrashEntry } from "../../adapters/conversation-trash.ts";
import { CsmError } from "../../shared/errors.ts";
import { DAY_MS } from "./tidy.ts";

// What is in csm's trash, putting one back, and emptying it (the only permanent removal:
// listed first, done only when asked to apply).

export const trashDirOf = (dataDir: string) => `${dataDir}/trash`;

export function listTrash(trashDir: string): TrashEntry[] {
  return readTrash(trashDir).reverse();
}

/** The one trash entry `ref` names: a conversation id or prefix, or an entry's name. */
export function findTrashEntry(trashDir: string, ref: string): TrashEntry {
  const entries = readTrash(trashDir);
  const exact = entries.filter((entry) => entry.id === ref || entry.entry === ref);
  const found = exact.length > 0 ? exact : entries.filter((entry) => ref.length > 0 && (entry.id.startsWith(ref) || entry.entry.startsWith(ref)));
  if (found.length === 0) throw new CsmError("NoSuchConversation", `nothing in the trash matches ${JSON.stringify(ref)} (see \`csm trash\`)`, { data: { ref } });
  if (found.length > 1) {
    const listed = found.slice(0, 5).map((entry) => `${entry.entry} (${entry.id})`).join(", ");
    throw new CsmError("AmbiguousConversation", `${JSON.stringify(ref)} matches ${found.length} trash entries: ${listed}${found.length > 5 ? ", …" : ""}; nothing was restored`, { data: { ref } });
  }
  return found[0]!;
}

export function restoreEntry(trashDir: string, entry: TrashEntry): string {
  const result = restoreFromTrash(trashDir, entry);
  if ("refused" in result) throw new CsmError("RestoreRefused", `not restored: ${result.refused}`, { data: { entry: entry.entry } });
  return result.restored;
}

/** Entries trashed at least `olderThanMs` ago (all with 0). */
export function entriesOlderThan(trashDir: string, olderThanMs: number, now = Date.now()): TrashEntry[] {
  return readTrash(trashDir).filter((entry) => now - Date.parse(entry.trashedAt) >= olderThanMs);
}

export function emptyEntries(trashDir: string, entries: readonly TrashEntry[]): void {
  for (const entry of entries) emptyEntry(trashDir, entry);
}

/** `30d`, `12h`, `2w` as milliseconds; null when it is not that. */
export function durationMs(text: string): number | null {
  const match = /^(\d{1,6})([hdw])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * { h: DAY_MS / 24, d: DAY_MS, w: 7 * DAY_MS }[match[2] as "h" | "d" | "w"];
}
