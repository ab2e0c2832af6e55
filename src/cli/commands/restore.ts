import { createContext } from "../../core/context.ts";
import { findTrashEntry, restoreEntry, trashDirOf } from "../../core/conversations/trash-queries.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { checkRef, runOnHost, withoutHostFlag } from "../conversation-hosts.ts";
import { jsonText, type Output } from "../io.ts";

// `csm restore ID`: a trashed conversation back where it was, byte for byte (its checksum is
// checked); refused when a file exists there again, and when ID names several entries.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("restore", argv, { json: { type: "boolean" }, host: { type: "string" } }, { min: 1, max: 1 });
  const ref = checkRef(positionals[0]!);
  const ctx = await createContext();
  try {
    const remote = await runOnHost(ctx, flags.host, "restore", withoutHostFlag(argv), io);
    if (remote !== null) return remote;
    const trashDir = trashDirOf(ctx.settings.paths.dataDir);
    const entry = findTrashEntry(trashDir, ref);
    const path = restoreEntry(trashDir, entry);
    io.out(flags.json ? jsonText({ id: entry.id, path }, 2) : `restored ${entry.id} to ${printable(path)}`);
    return 0;
  } finally {
    ctx.close();
  }
}
