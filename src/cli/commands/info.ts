import { createContext } from "../../core/context.ts";
import { liveClaudeText, type ConversationInfo } from "../../core/conversations/conversation-record.ts";
import { oneLine, printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { checkRef, findConversation, hostChoice, withConversations } from "../conversation-hosts.ts";
import { jsonText, type Output } from "../io.ts";

// `csm info REF`: one conversation (by id, id prefix, /rename title or csm session name) with
// what a person needs after a crash: where it ran, what it was doing last, how it ended.
// Without --host every host is asked; a REF that names conversations on two hosts is
// ambiguous. `--matches` (for a host asking this one) prints every match, even none.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "info",
    argv,
    { json: { type: "boolean" }, host: { type: "string" }, matches: { type: "boolean" } },
    { min: 1, max: 1 },
  );
  const ref = checkRef(positionals[0]!);
  const ctx = await createContext();
  try {
    return await withConversations(ctx, async (local) => {
      if (flags.matches) {
        io.out(jsonText(local().infos(ref), 2));
        return 0;
      }
      const info = await findConversation(ctx, hostChoice(flags, true), ref, () => local().infos(ref), io);
      io.out(flags.json ? jsonText(info, 2) : formatInfo(info));
      return 0;
    });
  } finally {
    ctx.close();
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function formatInfo(info: ConversationInfo): string {
  const show = (text: string | null | undefined) => (text ? printable(oneLine(text)) : "-");
  const rows: [string, string][] = [
    ["id", info.id],
    ["host", info.host],
    ["title", show(info.title)],
    ["state", info.state === "csm" ? `csm (session ${info.session})` : info.state === "live" ? `live (${liveClaudeText(info)})` : "transcript"],
    ["cwd", show(info.cwd)],
    ["git branch", show(info.gitBranch)],
    ["claude", show(info.version)],
    ["models", info.models.length ? printable(info.models.join(", ")) : "-"],
    ["started", show(info.startedAt)],
    ["last active", show(info.lastActiveAt)],
    ["first prompt", show(info.firstPrompt?.slice(0, 300))],
    ["turns", `${info.turns} (${info.replies === 1 ? "1 reply" : `${info.replies} replies`}, ${info.outputTokens} output tokens)`],
    ["compactions", String(info.compactions)],
    ["sub-agents", String(info.subagents)],
    ["last tool use", info.lastToolUse ? `${printable(info.lastToolUse.name)} ${show(info.lastToolUse.input)}${info.lastToolUse.answered ? "" : "  (no result)"}` : "-"],
    ["last error", info.lastError ? show(info.lastError.text.slice(0, 300)) : "-"],
    ["ended", show(info.ending)],
    ["size", `${(info.sizeBytes / 1024).toFixed(0)} KB`],
    ["transcript", show(info.path)],
  ];
  const skipped = Object.entries(info.skipped);
  if (skipped.length > 0) rows.push(["skipped lines", skipped.map(([reason, count]) => `${reason} ${count}`).join(", ")]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}
