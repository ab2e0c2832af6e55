import type { Context } from "../core/context.ts";
import type { ConversationInfo } from "../core/conversations/conversation-record.ts";
import { REMOTE_QUERY_TIMEOUT_MS } from "../core/conversations/conversations-everywhere.ts";
import { resumeConversation } from "../core/conversations/resume-conversation.ts";
import { HostRegistry } from "../core/hosts/host-registry.ts";
import { runRemoteCsm } from "../core/hosts/remote-csm.ts";
import { ensureHub } from "../hub-client/hub-start.ts";
import type { TransportChoice } from "../link/transport.ts";
import { printJson, type Output } from "./io.ts";
import { printable } from "../shared/printable.ts";

// Resuming a conversation found on some host (`csm resume`, `csm last`, `csm move --resume`):
// here through core, or by that host's own csm. Not a command module, so every command's
// prebuilt bundle can carry it.

export type ResumeFlags = { name?: string; force?: boolean; worktree?: boolean; repo?: string; json?: boolean };

/** Resumes `info` here, or has its own host's csm do it (shared with `csm last`). */
export async function resumeFound(ctx: Context, info: ConversationInfo, flags: ResumeFlags, io: Output): Promise<number> {
  if (info.host !== "local") return resumeThere(ctx, info, flags, io);
  const { session, warnings } = await resumeConversation(ctx, info, {
    name: flags.name,
    force: flags.force,
    worktree: flags.worktree,
    repo: flags.repo,
    transport: (ctx.settings.config.claudeTransport ?? "auto") as TransportChoice,
    prepareHub: async () => (await ensureHub(ctx)).info.port,
    cwd: process.cwd(),
  });
  for (const warning of warnings) io.err(`csm: warning: ${warning}`);
  if (flags.json) printJson(io, session);
  else {
    io.out(`resumed conversation ${info.id} as session ${session.name} (in ${session.worktree}, tmux ${session.tmuxSession})`);
    io.out(`attach with: csm attach ${session.name}`);
  }
  return 0;
}

async function resumeThere(ctx: Context, info: ConversationInfo, flags: ResumeFlags, io: Output): Promise<number> {
  const registry = new HostRegistry(ctx);
  try {
    const host = (await registry.get(info.host))!;
    const args = ["resume", info.id, "--host", "local"];
    if (flags.name !== undefined) args.push("--name", flags.name);
    if (flags.force) args.push("--force");
    if (flags.worktree) args.push("--worktree");
    if (flags.repo !== undefined) args.push("--repo", flags.repo);
    if (flags.json) args.push("--json");
    const result = await runRemoteCsm(host, args, REMOTE_QUERY_TIMEOUT_MS);
    // Text from another machine: printable, never raw.
    if (result.stdout.trim()) io.out(printable(result.stdout.trimEnd(), { multiline: true }));
    if (result.stderr.trim()) io.err(result.stderr.trimEnd());
    return result.code;
  } finally {
    registry.close();
  }
}
