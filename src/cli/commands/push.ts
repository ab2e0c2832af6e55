import { createContext } from "../../core/context.ts";
import { pushSession } from "../../core/sessions/push.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// Runs here rather than through the hub: the push uses this environment's credentials
// (ssh agent, GIT_SSH_COMMAND, credential helpers), which a detached hub may not have.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("push", argv, { remote: { type: "string" }, json: { type: "boolean" } }, { min: 1, max: 1 });
  const name = checkName("session", positionals[0]!);
  const ctx = await createContext();
  try {
    const result = await pushSession(ctx, { name, remote: flags.remote });
    if (flags.json) printJson(io, result);
    else io.out(`pushed ${result.branch} (${result.head.slice(0, 7)}) to ${result.remote}; it tracks ${result.remote}/${result.branch}`);
    return 0;
  } finally {
    ctx.close();
  }
}
