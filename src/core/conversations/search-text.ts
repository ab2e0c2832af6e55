import type { SearchHit } from "./conversation-record.ts";
import { formatAge } from "../../shared/format-age.ts";
import { printable } from "../../shared/printable.ts";

// What `csm search` prints for its hits: a line per conversation, then the text around the
// hit. The CLI prints it, and the hub makes it for the CLI's fast path (bin/csm), so a search
// through a running hub loads no module at all.

/** Where the index marks a hit in a snippet (control characters no transcript text keeps). */
const HIT_START = "\x02";
const HIT_END = "\x03";

/** A conversation's project as people call it: its directory's last name. */
export const projectName = (record: { cwd: string | null; project: string }) => (record.cwd ? record.cwd.replace(/\/+$/, "").split("/").pop() || record.cwd : record.project);

export function formatHits(hits: SearchHit[], now: Date, colour: boolean): string {
  if (hits.length === 0) return "no conversation matches";
  const mark = colour ? (text: string) => `\x1b[1;33m${text}\x1b[0m` : (text: string) => `[${text}]`;
  return hits
    .map((hit) => {
      const age = hit.lastActiveAt ? formatAge(hit.lastActiveAt, now) : "-";
      const head = `${hit.id.slice(0, 8)}  ${hit.host}  ${printable(projectName(hit))}  ${age}  ${printable(hit.title || "(no prompt)")}`;
      return `${head}\n    ${snippetLine(hit.snippet, mark)}`;
    })
    .join("\n");
}

/** The snippet made printable piece by piece, so only csm's own marks are escape codes. */
function snippetLine(snippet: string, mark: (text: string) => string): string {
  return snippet
    .replace(/\s+/g, " ")
    .trim()
    .split(HIT_START)
    .map((part, index) => {
      if (index === 0) return printable(part.replaceAll(HIT_END, ""));
      const end = part.indexOf(HIT_END);
      return end === -1 ? mark(printable(part)) : mark(printable(part.slice(0, end))) + printable(part.slice(end + 1).replaceAll(HIT_END, ""));
    })
    .join("");
}

/** Everything `csm search` prints for these hits and these hosts' answers, made printable. */
export function searchPrinted(hits: SearchHit[], hosts: { host: string; error: string | null }[]): { out: string; err: string } {
  const err = hosts.filter((host) => host.error).map((host) => `${printable(`csm: ${host.host}: ${host.error}`)}\n`);
  return { out: `${formatHits(hits, new Date(), false)}\n`, err: err.join("") };
}
