import { createContext } from "../../core/context.ts";
import { createSession } from "../../core/sessions/create.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "create",
    argv,
    {
      repo: { type: "string" },
      base: { type: "string" },
      prompt: { type: "string" },
      project: { type: "string" },
      "no-worktree": { type: "boolean" },
      json: { type: "boolean" },
    },
    { min: 1, max: 1 },
  );
  const ctx = await createContext();
  try {
    const { session, warnings } = await createSession(ctx, {
      name: positionals[0]!,
      repo: flags.repo,
      base: flags.base,
      prompt: flags.prompt,
      project: flags.project,
      noWorktree: flags["no-worktree"],
      cwd: process.cwd(),
    });
    for (const warning of warnings) io.err(`csm: warning: ${warning}`);
    if (flags.json) printJson(io, session);
    else {
      const where = session.branch ? `branch ${session.branch}, worktree ${session.worktree}` : `in ${session.worktree}`;
      io.out(`created ${session.name} (${where}, tmux ${session.tmuxSession})`);
      io.out(`attach with: csm attach ${session.name}`);
    }
    return 0;
  } finally {
    ctx.close();
  }
}
