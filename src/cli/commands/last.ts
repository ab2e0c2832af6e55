import { realpathSync } from "node:fs";
import { createContext } from "../../core/context.ts";
import { checkName } from "../../shared/names.ts";
import { CsmError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { withConversations } from "../conversation-hosts.ts";
import type { Output } from "../io.ts";
import { resumeFound } from "../resume-found.ts";

// `csm last`: resume the most recent conversation of the current directory (with --any, of
// any directory) on this host.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("last", argv, { any: { type: "boolean" }, name: { type: "string" }, force: { type: "boolean" }, json: { type: "boolean" } }, { min: 0, max: 0 });
  if (flags.name !== undefined) checkName("session", flags.name);
  const ctx = await createContext();
  try {
    return await withConversations(ctx, async (local) => {
      const here = realCwd();
      const candidates = local().history({ limit: 200, project: flags.any ? undefined : here });
      // --project matches below the directory too; `last` means this very directory.
      const latest = candidates.find((record) => flags.any || record.cwd === here || record.cwd === process.cwd());
      if (!latest) {
        const where = flags.any ? "on this host" : `in ${here}`;
        throw new CsmError("NoSuchConversation", `no conversation ${where} (see \`csm history\`${flags.any ? "" : ", or `csm last --any`"})`);
      }
      return await resumeFound(ctx, local().info(latest.id), flags, io);
    });
  } finally {
    ctx.close();
  }
}

function realCwd(): string {
  try {
    return realpathSync(process.cwd());
  } catch {
    return process.cwd();
  }
}
