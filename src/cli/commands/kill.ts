import { createContext } from "../../core/context.ts";
import { killSession } from "../../core/sessions/kill.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "kill",
    argv,
    { "delete-branch": { type: "boolean" }, force: { type: "boolean", short: "f" } },
    { min: 1, max: 1 },
  );
  const ctx = await createContext();
  try {
    const removed = await killSession(ctx, { name: positionals[0]!, deleteBranch: flags["delete-branch"], force: flags.force });
    io.out(`killed ${positionals[0]}${removed.length ? `: removed ${removed.join(", ")}` : ""}`);
    return 0;
  } finally {
    ctx.close();
  }
}
