import { createContext, type Context } from "../core/context.ts";
import { moveCandidates, planGc, planPrune, type TidyCandidate, type TidyOutcome } from "../core/conversations/tidy.ts";
import { usageError } from "../shared/errors.ts";
import { printable } from "../shared/printable.ts";
import { parseFlags } from "./args.ts";
import { askChosenHosts, hostNames, runOnHost, withConversations, withoutHostFlag } from "./conversation-hosts.ts";
import { jsonText, type Output } from "./io.ts";
import { formatAge, formatTable } from "./table.ts";

// `csm gc` (husks) and `csm prune --days N` (unnamed conversations idle that long): a dry run
// that lists what would go and why, and with --apply a move to csm's trash (`csm trash`,
// `csm restore`), never a deletion. One module for both (they differ only in what they pick),
// outside commands/ so each command's prebuilt bundle carries it.

export const DEFAULT_PRUNE_DAYS = 30;

export async function runTidy(argv: string[], io: Output, command: "gc" | "prune"): Promise<number> {
  const common = { apply: { type: "boolean" }, json: { type: "boolean" }, host: { type: "string" }, "all-hosts": { type: "boolean" } } as const;
  const { flags } = parseFlags(command, argv, command === "prune" ? { ...common, days: { type: "string" } } : common, { min: 0, max: 0 });
  const days = command === "prune" ? daysFlag((flags as { days?: string }).days) : 0;
  if (flags.host !== undefined && flags["all-hosts"]) throw usageError("--host and --all-hosts cannot be used together");
  const ctx = await createContext();
  try {
    const remote = await runOnHost(ctx, flags.host, command, withoutHostFlag(argv), io);
    if (remote !== null) return remote;
    return await withConversations(ctx, async (open) => {
      const local = open();
      const favourites = new Set(ctx.sessions().all(ctx.host.hostName).flatMap((s) => (s.favourite && s.claudeSessionId ? [s.claudeSessionId] : [])));
      const plan = () => (command === "gc" ? planGc(local) : planPrune(local, days, favourites));
      const applyHere = () => moveCandidates(local, `${ctx.settings.paths.dataDir}/trash`, plan());
      if (flags["all-hosts"]) return everyHost(ctx, command, days, flags.apply === true, flags.json === true, { plan, applyHere }, io);
      const candidates = plan();
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

/**
 * `--all-hosts`: the list from every host (each host's csm plans its own files); with --apply
 * each host moves its own to its own trash, one after another, each outcome said under its host.
 */
async function everyHost(
  ctx: Context,
  command: "gc" | "prune",
  days: number,
  apply: boolean,
  json: boolean,
  here: { plan: () => TidyCandidate[]; applyHere: () => TidyOutcome },
  io: Output,
): Promise<number> {
  const args = command === "prune" ? ["--days", String(days)] : [];
  if (!apply) {
    const { items } = await askChosenHosts(ctx, { kind: "all" }, here.plan, [command, ...args], io);
    io.out(json ? jsonText(items, 2) : formatPlan(items, command, new Date()));
    return 0;
  }
  const outcomes: Record<string, TidyOutcome> = {};
  let failed = false;
  for (const host of hostNames(ctx, { kind: "all" })) {
    if (host === "local") {
      outcomes[host] = here.applyHere();
      continue;
    }
    const { items, answers } = await askChosenHosts<TidyOutcome & { host: string }>(ctx, { kind: "one", host }, () => [], [command, "--apply", ...args], io);
    if (answers[0]?.error) failed = true;
    else if (items[0]) outcomes[host] = { moved: items[0].moved, skipped: items[0].skipped };
  }
  if (json) io.out(jsonText(outcomes, 2));
  else for (const [host, outcome] of Object.entries(outcomes)) io.out(`== ${host}\n${formatOutcome(outcome)}`);
  return failed ? 1 : 0;
}

function daysFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PRUNE_DAYS;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1) throw usageError(`--days takes a whole number of days, at least 1, not ${JSON.stringify(value)}`);
  return Number(value);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function formatPlan(candidates: TidyCandidate[], command: string, now: Date): string {
  if (candidates.length === 0) return command === "gc" ? "no husks" : "nothing to prune";
  const hosts = new Set(candidates.map((c) => c.host)).size > 1;
  const table = formatTable(
    ["ID", ...(hosts ? ["HOST"] : []), "REASON", "SIZE", "ACTIVE", "PATH"],
    candidates.map((c) => [c.id.slice(0, 8), ...(hosts ? [c.host] : []), c.reason, kb(c.sizeBytes), c.lastActiveAt ? formatAge(c.lastActiveAt, now) : "-", printable(c.path)]),
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
