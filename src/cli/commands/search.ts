import type { SearchHit } from "../../core/conversations/conversation-record.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { hostChoice, limitFlag, type HostChoice } from "../conversation-flags.ts";
import { conversationsFromHub } from "../conversations-via-hub.ts";
import { jsonText, type Output } from "../io.ts";
import { formatHits } from "../../core/conversations/search-text.ts";

// `csm search TEXT`: full text over prompts, replies and tool calls of every conversation,
// on every host unless --host says one; ranked, with the text around each hit.

export const DEFAULT_SEARCH_LIMIT = 20;

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
