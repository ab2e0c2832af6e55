import { createContext, type Context } from "../../core/context.ts";
import { HostRegistry } from "../../core/hosts/host-registry.ts";
import { runRemoteCsm } from "../../core/hosts/remote-csm.ts";
import { findArchived, listArchive, paneLogText, postmortem, type ArchiveListItem, type Postmortem } from "../../core/sessions/archive-show.ts";
import { notFoundError, usageError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { oneLine, printable } from "../../shared/printable.ts";
import type { ArchiveEntry } from "../../store/archive.ts";
import { parseFlags } from "../args.ts";
import { jsonText, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

// `csm archive`: every csm session that ended (claude exited, tmux went away, `csm kill`),
// newest first; `archive show REF`: its postmortem; `archive log REF`: the last output of its
// agent pane. REF is a session name (its newest life) or an entry id (`12` or `#12`).
// `--host H` asks csm on that host, which answers for itself (`--host local --json`).

const REMOTE_TIMEOUT_MS = 30_000;
const DEFAULT_TAIL_KB = 64;
const SHOW_PANE_BYTES = 4096;

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "archive",
    argv,
    { json: { type: "boolean" }, host: { type: "string" }, "all-hosts": { type: "boolean" }, "tail-kb": { type: "string" } },
    { min: 0, max: 2 },
  );
  const [sub, ref] = positionals;
  const host = flags.host === undefined || flags.host === "local" ? "local" : checkName("host", flags.host);
  const tailKb = tailKbFlag(flags["tail-kb"]);
  if (sub !== undefined && sub !== "show" && sub !== "log") throw usageError(`archive: unknown subcommand ${JSON.stringify(sub)} (show or log; see \`csm help archive\`)`);
  if (sub !== undefined && ref === undefined) throw usageError(`archive ${sub}: give a session name or an archive id`);
  if (sub === undefined && positionals.length > 0) throw usageError("archive: unexpected argument");
  if (sub !== "log" && flags["tail-kb"] !== undefined) throw usageError("archive: --tail-kb goes with `archive log`");
  if (ref !== undefined && (ref.trim() === "" || ref.length > 80)) throw usageError("archive: give a session name or an archive id");
  if (flags["all-hosts"] && (sub !== undefined || flags.host !== undefined)) throw usageError("archive --all-hosts lists every host's archive; show and log take --host H");
  const ctx = await createContext();
  try {
    if (flags["all-hosts"]) {
      const { askChosenHosts } = await import("../conversation-hosts.ts");
      const { items } = await askChosenHosts(ctx, { kind: "all" }, () => listArchive(ctx), ["archive"], io);
      const entries = items.sort((a, b) => b.endedAt.localeCompare(a.endedAt));
      io.out(flags.json ? jsonText(entries, 2) : formatList(entries, new Date()));
      return 0;
    }
    if (host !== "local") return await remote(ctx, host, sub, ref, { json: flags.json === true, tailKb }, io);
    if (sub === undefined) {
      const items = listArchive(ctx);
      io.out(flags.json ? jsonText(items, 2) : formatList(items, new Date()));
    } else if (sub === "show") {
      const report = postmortem(ctx, findArchived(ctx, ref!), SHOW_PANE_BYTES);
      io.out(flags.json ? jsonText(report, 2) : formatPostmortem(report));
    } else {
      const entry = findArchived(ctx, ref!);
      const text = paneLogText(entry, tailKb * 1024);
      if (text === null) throw notFoundError("pane log of ended session", `${entry.name}` + ` (archive ${entry.id})`, entry.paneLog ? `${entry.paneLog} is gone` : "it ended before csm kept pane logs");
      io.out(flags.json ? jsonText({ id: entry.id, name: entry.name, host: entry.host, paneLog: entry.paneLog, text }, 2) : printable(text.replace(/\n+$/, ""), { multiline: true }));
    }
    return 0;
  } finally {
    ctx.close();
  }
}

function tailKbFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TAIL_KB;
  if (!/^\d{1,4}$/.test(value) || Number(value) === 0 || Number(value) > 1024) throw usageError(`--tail-kb takes a whole number from 1 to 1024, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** The same question put to csm on `host`; its JSON answer printed here as if it were local. */
async function remote(ctx: Context, host: string, sub: string | undefined, ref: string | undefined, options: { json: boolean; tailKb: number }, io: Output): Promise<number> {
  const registry = new HostRegistry(ctx);
  try {
    const target = await registry.get(host);
    if (!target) throw usageError(`unknown host ${JSON.stringify(host)} (configured: ${registry.names().join(", ")})`);
    const args = ["archive", ...(sub ? [sub] : []), "--host", "local", "--json", ...(sub === "log" ? ["--tail-kb", String(options.tailKb)] : []), ...(ref !== undefined ? ["--", ref] : [])];
    const result = await runRemoteCsm(target, args, REMOTE_TIMEOUT_MS);
    if (result.code !== 0) {
      io.err(`csm: ${host}: ${result.stderr.trim() || `csm exited ${result.code}`}`);
      return result.code;
    }
    const answer = JSON.parse(result.stdout) as unknown;
    if (sub === undefined) {
      const items = (answer as ArchiveListItem[]).map((item) => ({ ...item, host }));
      io.out(options.json ? jsonText(items, 2) : formatList(items, new Date()));
    } else if (sub === "show") {
      const report = answer as Postmortem;
      const here = { ...report, entry: { ...report.entry, host } };
      io.out(options.json ? jsonText(here, 2) : formatPostmortem(here));
    } else {
      const log = answer as { text: string };
      io.out(options.json ? jsonText({ ...log, host }, 2) : printable(String(log.text).replace(/\n+$/, ""), { multiline: true }));
    }
    return 0;
  } finally {
    registry.close();
  }
}

const cost = (usd: number) => `$${usd.toFixed(usd >= 1 ? 2 : 4)}`;
const show = (text: string | null | undefined, max = 300) => (text ? printable(oneLine(text.length > max ? `${text.slice(0, max)}…` : text)) : "-");
const tool = (entry: ArchiveEntry) =>
  entry.lastTool ? `${printable(entry.lastTool.name)} ${show(entry.lastTool.input, 120)}${entry.lastTool.answered ? "" : " (no result)"}` : "-";

export function formatList(items: ArchiveListItem[], now: Date): string {
  if (items.length === 0) return "no ended sessions in the archive";
  return formatTable(
    ["ID", "NAME", "HOST", "ENDED", "WHY", "TURNS", "COST", "LAST TOOL", "LAST MESSAGE"],
    items.map((item) => [
      String(item.id),
      item.name,
      item.host,
      formatAge(item.endedAt, now),
      item.endReason,
      String(item.turns),
      cost(item.costUsd),
      tool(item),
      show(item.lastMessage, 80),
    ]),
  );
}

export function formatPostmortem(report: Postmortem): string {
  const { entry, transcript, paneTail } = report;
  const rows: [string, string][] = [
    ["id", String(entry.id)],
    ["session", `${printable(entry.name)}@${printable(entry.host)}`],
    ["repo", show(entry.repo)],
    ["branch", show(entry.branch)],
    ["worktree", show(entry.worktree)],
    ["conversation", show(entry.claudeSessionId)],
    ["started", entry.startedAt],
    ["ended", entry.endedAt],
    ["end reason", show(entry.endReason)],
    ["removed", entry.removedAt ?? "-"],
    ["turns", String(entry.turns)],
    ["cost", cost(entry.costUsd)],
    ["last tool use", tool(entry)],
    ["last error", show(entry.lastError ?? transcript?.lastError?.text ?? null)],
    ["last message", show(entry.lastMessage)],
    ["transcript", show(transcript?.path ?? null)],
    ["pane log", show(entry.paneLog)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  if (transcript && transcript.records.length > 0) {
    lines.push("", "transcript tail:");
    for (const record of transcript.records) lines.push(`  ${record.who.padEnd(6)} ${show(record.text, 200)}`);
  }
  lines.push("", "pane log tail:");
  if (paneTail === null) lines.push("  (no pane log)");
  else {
    const tail = paneTail.split("\n").filter((line) => line.trim() !== "").slice(-20);
    for (const line of tail) lines.push(`  ${printable(line)}`);
  }
  return lines.join("\n");
}
