import type { TrashEntry } from "../../adapters/conversation-trash.ts";
import { createContext } from "../../core/context.ts";
import { durationMs, emptyEntries, entriesOlderThan, listTrash, trashDirOf } from "../../core/conversations/trash-queries.ts";
import { usageError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { askChosenHosts, runOnHost, withoutHostFlag } from "../conversation-hosts.ts";
import { jsonText, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

// `csm trash`: what gc and prune moved away, when and why. `csm trash empty [--older-than 30d]`
// lists what would be deleted for good; with --apply it deletes it (the only removal csm does).

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "trash",
    argv,
    { json: { type: "boolean" }, host: { type: "string" }, "all-hosts": { type: "boolean" }, apply: { type: "boolean" }, "older-than": { type: "string" } },
    { min: 0, max: 1 },
  );
  const sub = positionals[0];
  if (sub !== undefined && sub !== "empty") throw usageError(`trash: unknown subcommand ${JSON.stringify(sub)} (see \`csm help trash\`)`);
  if (sub === undefined && (flags.apply || flags["older-than"] !== undefined)) throw usageError("trash: --apply and --older-than go with `csm trash empty`");
  const olderThan = flags["older-than"] === undefined ? 0 : durationMs(flags["older-than"]);
  if (olderThan === null) throw usageError(`--older-than takes a duration like 30d, 12h or 2w, not ${JSON.stringify(flags["older-than"])}`);
  const ctx = await createContext();
  try {
    const remote = await runOnHost(ctx, flags.host, "trash", withoutHostFlag(argv), io);
    if (remote !== null) return remote;
    const trashDir = trashDirOf(ctx.settings.paths.dataDir);
    if (flags["all-hosts"]) {
      if (sub !== undefined) throw usageError("trash empty: run it per host (--host H); --all-hosts only lists");
      // Each host's own trash, asked through its own csm.
      const { items } = await askChosenHosts(ctx, { kind: "all" }, () => listTrash(trashDir).map((entry) => ({ ...entry, host: "local" })), ["trash"], io);
      const entries = items.sort((a, b) => b.trashedAt.localeCompare(a.trashedAt));
      io.out(flags.json ? jsonText(entries, 2) : formatTrash(entries, new Date()));
      return 0;
    }
    if (sub === undefined) {
      const entries = listTrash(trashDir);
      io.out(flags.json ? jsonText(entries, 2) : formatTrash(entries, new Date()));
      return 0;
    }
    const doomed = entriesOlderThan(trashDir, olderThan);
    if (flags.apply) emptyEntries(trashDir, doomed);
    if (flags.json) io.out(jsonText({ deleted: flags.apply === true, entries: doomed }, 2));
    else if (doomed.length === 0) io.out("nothing in the trash is that old");
    else io.out(`${formatTrash(doomed, new Date())}\n${flags.apply ? `deleted ${doomed.length} for good` : `${doomed.length} would be deleted for good; nothing deleted (dry run): add --apply`}`);
    return 0;
  } finally {
    ctx.close();
  }
}

export function formatTrash(entries: TrashEntry[], now: Date): string {
  if (entries.length === 0) return "the trash is empty";
  return formatTable(
    ["ID", "HOST", "TRASHED", "REASON", "SIZE", "FROM"],
    entries.map((entry) => [entry.id.slice(0, 8), entry.host, `${formatAge(entry.trashedAt, now)} ago`, printable(entry.reason), `${(entry.sizeBytes / 1024).toFixed(0)} KB`, printable(`${entry.configDir}/${entry.transcript}`)]),
  );
}
