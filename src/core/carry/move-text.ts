import type { PathMap } from "./path-map.ts";

// The text side of a move: what a file may be taken as (complete lines only) and the path
// map applied at the speed of one native regex pass, for transcripts of tens of MB.

/** The complete lines of a file being written: up to its last newline (a line being written is not taken). */
export function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf("\n") + 1);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * toPortable (path-map.ts) as one regex: at each position a literal `{{` is escaped, else the
 * longest mapped path that is not followed by a path character becomes its placeholder.
 * Same rules, same result (the unit test compares both); toPortable walks character by character.
 */
export function portableText(text: string, map: PathMap): string {
  const entries = Object.entries(map).sort(([, a], [, b]) => b.length - a.length);
  const byPath = new Map(entries.map(([placeholder, path]) => [path, placeholder]));
  const pattern = new RegExp(["\\{\\{", ...entries.map(([, path]) => `${escapeRegExp(path)}(?![A-Za-z0-9._-])`)].join("|"), "g");
  return text.replace(pattern, (hit) => (hit === "{{" ? "{{{{" : byPath.get(hit)!));
}
