import { claudeConfigDir } from "../../adapters/claude-files.ts";
import type { TransportChoice } from "../../link/transport.ts";
import { CsmError } from "../../shared/errors.ts";
import { isValidName } from "../../shared/names.ts";
import type { Context } from "../context.ts";
import { lockForResume } from "../carry/sync-lock.ts";
import { createSession, type CreateResult } from "../sessions/create.ts";
import type { ConversationInfo } from "./conversation-record.ts";

// `csm resume`: a conversation found in the index becomes a csm session like any other (tmux,
// linked live, in `csm list`), running `claude --resume ID` in the conversation's own
// directory, because that is where claude looks for its transcript.

export interface ResumeOptions {
  name?: string;
  /** Resume even though a claude outside csm holds the conversation. */
  force?: boolean;
  /** The cwd was a worktree that is gone: make a new one there on the conversation's branch. */
  worktree?: boolean;
  repo?: string;
  transport: TransportChoice;
  prepareHub: () => Promise<number>;
  cwd: string;
}

export async function resumeConversation(ctx: Context, info: ConversationInfo, options: ResumeOptions): Promise<CreateResult> {
  if (info.state === "csm") {
    throw new CsmError("StillRunning", `conversation ${info.id} is running in csm session ${info.session}; attach with \`csm attach ${info.session}\``, { data: { id: info.id, session: info.session } });
  }
  if (info.state === "live" && !options.force) {
    throw new CsmError(
      "ConversationLive",
      info.pidElsewhere
        ? `conversation ${info.id} is open in a claude outside csm (pid ${info.pid} in another PID namespace, such as a container sharing this claude config; csm cannot check whether it still runs); two writers would ruin its transcript. Quit that claude; if it has ended (a container that was killed leaves its file), remove ${claudeConfigDir(ctx.env)}/sessions/${info.pid}.json or pass --force`
        : `conversation ${info.id} is open in a claude outside csm (pid ${info.pid}); two writers would ruin its transcript. Quit that claude, or pass --force`,
      { data: { id: info.id, pid: info.pid, pidElsewhere: info.pidElsewhere } },
    );
  }
  if (!info.cwd) throw new CsmError("ConversationCwdGone", `conversation ${info.id} records no working directory; claude cannot resume it`, { data: { id: info.id } });
  const cwdExists = await ctx.host.files.exists(info.cwd);
  const branch = info.gitBranch && info.gitBranch !== "HEAD" ? info.gitBranch : null;
  if (!cwdExists && !options.worktree) {
    const hint = branch ? `; pass --worktree to make a new worktree there on branch ${branch}` : "";
    throw new CsmError("ConversationCwdGone", `conversation ${info.id} ran in ${info.cwd}, which no longer exists${hint}`, { data: { id: info.id, cwd: info.cwd } });
  }
  if (!cwdExists && !branch) {
    throw new CsmError("ConversationCwdGone", `conversation ${info.id} ran in ${info.cwd}, which no longer exists, and it records no branch to make a worktree on`, { data: { id: info.id, cwd: info.cwd } });
  }
  await lockForResume(ctx, info.id);
  try {
    return await createSession(ctx, {
      name: options.name ?? freeName(ctx, sessionNameFor(info)),
      repo: options.repo,
      resume: { conversationId: info.id, cwd: info.cwd, recreateOn: cwdExists ? undefined : { branch: branch! } },
      transport: options.transport,
      prepareHub: options.prepareHub,
      cwd: options.cwd,
    });
  } catch (error) {
    // The directory and its branch both gone: the directory is what the person knows it by.
    if (cwdExists || (error as Error).name !== "BranchNotFound") throw error;
    throw new CsmError("ConversationCwdGone", `conversation ${info.id} ran in ${info.cwd}, which no longer exists, and its branch is gone too: ${(error as Error).message}`, {
      data: { id: info.id, cwd: info.cwd, branch },
    });
  }
}

/** `base`, or `base-2`, `base-3`… when a session has that name (a name given by a person is used as is). */
function freeName(ctx: Context, base: string): string {
  const taken = (name: string) => ctx.sessions().get(ctx.host.hostName, name) !== null;
  for (let n = 2; taken(base) && n < 100; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
  return base;
}

/** A session name from the title (`fix the login` → `fix-the-login`), else from the id. */
export function sessionNameFor(info: Pick<ConversationInfo, "id" | "title">): string {
  const words = info.title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  const fromTitle = words.length >= 3 ? words : "";
  const name = fromTitle || `resume-${info.id.slice(0, 8)}`;
  return isValidName(name) ? name : `resume-${info.id.slice(0, 8).replace(/[^A-Za-z0-9]/g, "x")}`;
}
