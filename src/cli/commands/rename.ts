import { createContext } from "../../core/context.ts";
import { liveClaudeText } from "../../core/conversations/conversation-record.ts";
import { appendTitle, checkTitle } from "../../core/conversations/rename-conversation.ts";
import { renameConversation, type RenameReply } from "../../hub-client/api.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { CsmError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { checkRef, runOnHost, withConversations, withoutHostFlag } from "../conversation-hosts.ts";
import { jsonText, type Output } from "../io.ts";

// `csm rename REF TITLE`: names a conversation (a csm session's, or any by id, prefix or title)
// as claude's `/rename` does. A csm session's claude is asked through the hub to write the
// title itself; a conversation no claude holds gets the record appended here.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("rename", argv, { json: { type: "boolean" }, host: { type: "string" } }, { min: 2, max: 2 });
  const ref = checkRef(positionals[0]!);
  const title = checkTitle(positionals[1]!);
  const ctx = await createContext();
  try {
    const remote = await runOnHost(ctx, flags.host, "rename", withoutHostFlag(argv), io);
    if (remote !== null) return remote;
    const reply = await withConversations(ctx, async (open): Promise<RenameReply> => {
      const info = open().info(ref);
      if (info.state === "csm") return renameConversation(await ensureHub(ctx), info.id, { title, host: "local" });
      if (info.state === "live") {
        throw new CsmError("ConversationLive", `conversation ${info.id} is open in a claude outside csm (${liveClaudeText(info)}); rename it there with /rename`, { data: { id: info.id } });
      }
      appendTitle(info.path, info.id, title);
      return { id: info.id, host: info.host, title, by: "csm" };
    });
    io.out(flags.json ? jsonText(reply, 2) : `renamed ${reply.id} to ${JSON.stringify(printable(reply.title))}${reply.by === "claude" ? " (claude wrote it)" : ""}`);
    return 0;
  } finally {
    ctx.close();
  }
}
