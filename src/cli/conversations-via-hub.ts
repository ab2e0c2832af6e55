import { claudeConfigDir } from "../config/claude-config-dir.ts";
import { loadSettings } from "../config/load.ts";
import type { ConversationsReply, ListedConversation } from "../hub-client/api.ts";
import { findHubAt } from "../hub-client/client.ts";
import type { HostChoice } from "./conversation-flags.ts";
import type { Output } from "./io.ts";

// `csm search` and `csm history` while a hub runs: the hub has the index open and warm (its
// worker keeps it fresh) and asks other hosts itself, so the command is one request, without
// opening SQLite or SSH here. Null when no hub answers: the command then does it itself.

export async function conversationsFromHub(query: Record<string, string>, choice: HostChoice, io: Output): Promise<ListedConversation[] | null> {
  const settings = await loadSettings();
  const hub = await findHubAt(settings.paths);
  // A hub started for another claude config dir indexes other conversations.
  if (!hub || hub.info.claudeConfigDir !== claudeConfigDir()) return null;
  const params = new URLSearchParams(query);
  if (choice.kind === "local") params.set("host", "local");
  else if (choice.kind === "one") params.set("host", choice.host);
  let reply: ConversationsReply;
  try {
    reply = await hub.request<ConversationsReply>("GET", `/api/conversations?${params}`);
  } catch {
    // A hub from before this route, or one going away: the command answers for itself.
    return null;
  }
  for (const host of reply.hosts) if (host.error) io.err(`csm: ${host.host}: ${host.error}`);
  return reply.conversations;
}
