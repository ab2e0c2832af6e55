import { createContext } from "../../core/context.ts";
import { attachSession } from "../../core/sessions/attach.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

export async function run(argv: string[], _io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("attach", argv, { shell: { type: "boolean" } }, { min: 1, max: 1 });
  const ctx = await createContext();
  try {
    return await attachSession(ctx, positionals[0]!, flags.shell ?? false);
  } finally {
    ctx.close();
  }
}
