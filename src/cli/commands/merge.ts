import { createContext } from "../../core/context.ts";
import { mergeSession, type MergeMode, type MergeResult } from "../../core/sessions/merge.ts";
import { usageError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// Runs here rather than through the hub: it is git work in this machine's repository, and
// the hub keeps no state about it.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "merge",
    argv,
    { squash: { type: "boolean" }, rebase: { type: "boolean" }, into: { type: "string" }, message: { type: "string", short: "m" }, json: { type: "boolean" } },
    { min: 1, max: 1 },
  );
  if (flags.squash && flags.rebase) throw usageError("merge: --squash and --rebase are two different ways; pick one");
  if (flags.rebase && flags.message !== undefined) throw usageError("merge: --rebase makes no commit of its own, so --message has nothing to name");
  const mode: MergeMode = flags.squash ? "squash" : flags.rebase ? "rebase" : "merge";
  const name = checkName("session", positionals[0]!);
  const ctx = await createContext();
  try {
    const result = await mergeSession(ctx, { name, mode, into: flags.into, message: flags.message });
    if (flags.json) printJson(io, result);
    else io.out(describeMerge(result));
    return 0;
  } finally {
    ctx.close();
  }
}

export function describeMerge(result: MergeResult): string {
  const short = result.head.slice(0, 7);
  if (result.upToDate) return `nothing to merge: ${result.name}'s work (${result.branch}) is already in ${result.target}`;
  const count = `${result.commits.length} commit${result.commits.length === 1 ? "" : "s"}`;
  if (result.mode === "squash") return `squashed ${count} of ${result.name} into ${result.target} as ${short}`;
  if (result.mode === "rebase") return `rebased ${count} of ${result.name} onto ${result.target} and fast-forwarded ${result.target} to ${short}`;
  return result.fastForward ? `merged ${count} of ${result.name} into ${result.target}: fast-forward to ${short}` : `merged ${count} of ${result.name} into ${result.target}: merge commit ${short}`;
}
