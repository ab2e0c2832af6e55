import { createContext } from "../core/context.ts";
import { moveCandidates, planGc, planPrune, type TidyCandidate, type TidyOutcome } from "../core/conversations/tidy.ts";
import { usageError } from "../shared/errors.ts";
import { printable } from "../shared/printable.ts";
import { parseFlags } from "./args.ts";
import { runOnHost, withConversations, withoutHostFlag } from "./conversation-hosts.ts";
import { jsonText, type Output } from "./io.ts";
import { formatAge, formatTable } from "./table.ts";

// `csm gc` (husks) and `csm prune --days N` (unnamed conversations idle that long): a dry run
// that lists what would go and why, and with --apply a move to csm's trash (`csm trash`,
// `csm restore`), never a deletion. One module for both (they differ only in what they pick),
// outside commands/ so each command's prebuilt bundle carries it.

export const DEFAULT_PRUNE_DAYS = 30;

export async function runTidy(argv: string[], io: Output, command: "gc" | "prune"): Promise<number> {
  const common = { apply: { type: "boolean" }, json: { type: "boolean" }, host: { type: "string" } } as const;
  const { flags } = parseFlags(command, argv, command === "prune" ? { ...common, days: { type: "string" } } : common, { min: 0, max: 0 });
  const days = command === "prune" ? daysFlag((flags as { days?: string }).days) : 0;
  const ctx = await createContext();
  try {
    const remote = await runOnHost(ctx, flags.host, command, withoutHostFlag(argv), io);
    if (remote !== null) return remote;
    return await withConversations(ctx, async (open) => {
      const local = open();
      const favourites = new Set(ctx.sessions().all(ctx.host.hostName).flatMap((s) => (s.favourite && s.claudeSessionId ? [s.claudeSessionId] : [])));
      const candidates = command === "gc" ? planGc(local) : planPrune(local, days, favourites);
      if (!flags.apply) {
        io.out(flags.json ? jsonText(candidates, 2) : formatPlan(candidates, command, new Date()));
        return 0;
      }
      const outcome = moveCandidates(local, `${ctx.settings.paths.dataDir}/trash`, candidates);
      io.out(flags.json ? jsonText(outcome, 2) : formatOutcome(outcome));
      return 0;
    });
  } finally {
    ctx.close();
  }
}

function daysFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PRUNE_DAYS;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1) throw usageError(`--days takes a whole number of days, at least 1, not ${JSON.stringify(value)}`);
  return Number(value);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function formatPlan(candidates: TidyCandidate[], command: string, now: Date): string {
  if (candidates.length === 0) return command === "gc" ? "no husks" : "nothing to prune";
  const table = formatTable(
    ["ID", "REASON", "SIZE", "ACTIVE", "PATH"],
    candidates.map((c) => [c.id.slice(0, 8), c.reason, kb(c.sizeBytes), c.lastActiveAt ? formatAge(c.lastActiveAt, now) : "-", printable(c.path)]),
  );
  const total = candidates.reduce((sum, c) => sum + c.sizeBytes, 0);
  return `${table}\n${candidates.length} conversation${candidates.length === 1 ? "" : "s"}, ${kb(total)}; nothing moved (dry run): add --apply to move them to the trash`;
}

export function formatOutcome(outcome: TidyOutcome): string {
  const lines = outcome.moved.map((entry) => `moved ${entry.id.slice(0, 8)} to the trash (${entry.reason})`);
  for (const skip of outcome.skipped) lines.push(`kept ${skip.id.slice(0, 8)}: ${skip.reason}`);
  lines.push(`${outcome.moved.length} moved to the trash, ${outcome.skipped.length} kept; see \`csm trash\`, undo with \`csm restore ID\``);
  return lines.join("\n");
}
