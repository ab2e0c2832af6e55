import type { ConversationRecord } from "../../core/conversations/conversation-record.ts";
import { parseSince } from "../../core/conversations/parse-since.ts";
import type { IndexStats } from "../../core/conversations/local-conversations.ts";
import { expandHome } from "../../config/paths.ts";
import { usageError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { hostChoice, limitFlag, projectName, type HostChoice } from "../conversation-flags.ts";
import { conversationsFromHub } from "../conversations-via-hub.ts";
import { jsonText, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

// `csm history`: every Claude conversation on this host (or every host), newest first, from
// the conversation index; `--stats` says what the index holds and what it skipped and why.

export const DEFAULT_HISTORY_LIMIT = 100;

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags(
    "history",
    argv,
    {
      json: { type: "boolean" },
      host: { type: "string" },
      "all-hosts": { type: "boolean" },
      project: { type: "string" },
      since: { type: "string" },
      limit: { type: "string" },
      stats: { type: "boolean" },
    },
    { min: 0, max: 0 },
  );
  const limit = limitFlag(flags.limit, DEFAULT_HISTORY_LIMIT);
  const since = flags.since === undefined ? undefined : parseSince(flags.since);
  if (since === null) throw usageError(`--since takes a duration like 7d, 12h, 30m or a date like 2026-11-01, not ${JSON.stringify(flags.since)}`);
  const choice = hostChoice(flags, false);
  const project = flags.project === undefined ? undefined : localPath(flags.project, process.env);
  if (!flags.stats) {
    // `~/…` is each host's own home; anything else is a path on this machine.
    const query: Record<string, string> = { limit: String(limit) };
    if (flags.project !== undefined) query.project = flags.project.startsWith("~") ? flags.project : project!;
    if (flags.since !== undefined) query.since = flags.since;
    const fromHub = await conversationsFromHub(query, choice, io);
    if (fromHub) {
      io.out(flags.json ? jsonText(fromHub, 2) : formatHistory(fromHub, new Date()));
      return 0;
    }
  }
  return historyHere(choice, { project, since, limit, rawProject: flags.project, rawSince: flags.since, stats: flags.stats === true, json: flags.json === true }, io);
}

interface HistoryRequest {
  project?: string;
  since?: string;
  limit: number;
  rawProject?: string;
  rawSince?: string;
  stats: boolean;
  json: boolean;
}

/** No hub: this host's index (brought up to date first) and every other host's csm, asked here. */
async function historyHere(choice: HostChoice, request: HistoryRequest, io: Output): Promise<number> {
  const { createContext } = await import("../../core/context.ts");
  const { askChosenHosts, withConversations } = await import("../conversation-hosts.ts");
  const { newestFirst } = await import("../../core/conversations/merge-answers.ts");
  const ctx = await createContext();
  try {
    return await withConversations(ctx, async (local) => {
      if (request.stats) {
        if (choice.kind !== "local") throw usageError("--stats describes this host's index; run it on the host (or without --host/--all-hosts)");
        const stats = local().stats();
        io.out(request.json ? jsonText(stats, 2) : formatStats(stats));
        return 0;
      }
      const { project, since, limit } = request;
      const remoteArgs = ["history", "--limit", String(limit), ...(request.rawProject ? ["--project", request.rawProject] : []), ...(request.rawSince ? ["--since", request.rawSince] : [])];
      const { items } = await askChosenHosts(ctx, choice, () => local().history({ project, since, limit }), remoteArgs, io);
      const records = newestFirst(items).slice(0, limit);
      io.out(request.json ? jsonText(records, 2) : formatHistory(records, new Date()));
      return 0;
    });
  } finally {
    ctx.close();
  }
}

/** A project path as this host means it: `~` expanded, relative to the current directory. */
function localPath(path: string, env: NodeJS.ProcessEnv): string {
  const expanded = expandHome(path, env);
  return (require("node:path") as typeof import("node:path")).resolve(process.cwd(), expanded);
}


export function formatHistory(records: ConversationRecord[], now: Date): string {
  if (records.length === 0) return "no conversations (claude's transcripts are read from $CLAUDE_CONFIG_DIR or ~/.claude)";
  return formatTable(
    ["ID", "HOST", "PROJECT", "TITLE", "TURNS", "ACTIVE", "STATE"],
    records.map((record) => [
      record.id.slice(0, 8),
      record.host,
      printable(projectName(record)),
      printable(record.title || "(no prompt)"),
      String(record.turns),
      record.lastActiveAt ? formatAge(record.lastActiveAt, now) : "-",
      record.state === "csm" && record.session ? `csm:${record.session}` : record.state,
    ]),
  );
}

function formatStats(stats: IndexStats): string {
  const lines = [
    `${stats.files} transcripts, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.textRows} text rows indexed`,
    `last refreshed: ${stats.lastRefreshAt ?? "never"}`,
  ];
  const skipped = Object.entries(stats.skipped);
  lines.push(skipped.length === 0 ? "skipped lines: none" : `skipped lines: ${skipped.map(([reason, count]) => `${reason} ${count}`).join(", ")}`);
  for (const problem of stats.problems) lines.push(`unreadable: ${printable(problem.path)}: ${printable(problem.reason)}`);
  return lines.join("\n");
}
