import type { SearchHit } from "../../core/conversations/conversation-record.ts";
import { usageError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { hostChoice, limitFlag, projectName, type HostChoice } from "../conversation-flags.ts";
import { conversationsFromHub } from "../conversations-via-hub.ts";
import { jsonText, type Output } from "../io.ts";
import { formatAge } from "../table.ts";

// `csm search TEXT`: full text over prompts, replies and tool calls of every conversation,
// on every host unless --host says one; ranked, with the text around each hit.

export const DEFAULT_SEARCH_LIMIT = 20;

/** Where the index marks a hit in a snippet (control characters no transcript text keeps). */
const HIT_START = "\x02";
const HIT_END = "\x03";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "search",
    argv,
    { json: { type: "boolean" }, host: { type: "string" }, "all-hosts": { type: "boolean" }, limit: { type: "string" }, color: { type: "boolean" } },
    { min: 1, max: 64 },
  );
  const query = positionals.join(" ");
  if (!/[\p{L}\p{N}]/u.test(query)) throw usageError("search: give words to look for");
  const limit = limitFlag(flags.limit, DEFAULT_SEARCH_LIMIT);
  const choice = hostChoice(flags, true);
  const hits = ((await conversationsFromHub({ search: query, limit: String(limit) }, choice, io)) as SearchHit[] | null) ?? (await searchHere(choice, query, limit, io));
  // Hits marked [like this] unless --color: asking whether stdout is a terminal costs more
  // (~7 ms, node's tty streams) than the whole search through a hub.
  io.out(flags.json ? jsonText(hits, 2) : formatHits(hits, new Date(), flags.color === true));
  return hits.length > 0 ? 0 : 1;
}

/** No hub: this host's index (brought up to date first) and every other host's csm, asked here. */
async function searchHere(choice: HostChoice, query: string, limit: number, io: Output): Promise<SearchHit[]> {
  const { createContext } = await import("../../core/context.ts");
  const { askChosenHosts, withConversations } = await import("../conversation-hosts.ts");
  const { interleaveByHost } = await import("../../core/conversations/merge-answers.ts");
  const ctx = await createContext();
  try {
    return await withConversations(ctx, async (local) => {
      const { items } = await askChosenHosts(ctx, choice, () => local().search(query, limit), ["search", "--limit", String(limit), "--", query], io);
      // Ranks from different hosts are not comparable; within a host the order is kept.
      return interleaveByHost(items, limit);
    });
  } finally {
    ctx.close();
  }
}

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
