import { createContext } from "../../core/context.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import { checkRef, findConversation, hostChoice, withConversations } from "../conversation-hosts.ts";
import type { Output } from "../io.ts";
import { resumeFound } from "../resume-found.ts";

// `csm resume REF`: the conversation becomes a csm session on the host it lives on, running
// `claude --resume` in its directory, linked live like any other session.

export const RESUME_FLAGS = {
  name: { type: "string" },
  force: { type: "boolean" },
  worktree: { type: "boolean" },
  repo: { type: "string" },
  host: { type: "string" },
  json: { type: "boolean" },
} as const;

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("resume", argv, RESUME_FLAGS, { min: 1, max: 1 });
  const ref = checkRef(positionals[0]!);
  if (flags.name !== undefined) checkName("session", flags.name);
  const ctx = await createContext();
  try {
    return await withConversations(ctx, async (local) => {
      const info = await findConversation(ctx, hostChoice(flags, true), ref, () => local().infos(ref), io);
      return await resumeFound(ctx, info, flags, io);
    });
  } finally {
    ctx.close();
  }
}
