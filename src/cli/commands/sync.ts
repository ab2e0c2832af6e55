import { createContext } from "../../core/context.ts";
import { listSyncLocks, releaseSyncLock } from "../../core/carry/sync-lock.ts";
import { syncPull } from "../../core/carry/sync-pull.ts";
import { syncPush } from "../../core/carry/sync-push.ts";
import { syncInit, syncStatus, type SyncStatus } from "../../core/carry/sync-status.ts";
import { expandHome } from "../../config/paths.ts";
import { usageError } from "../../shared/errors.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { jsonText, type Output } from "../io.ts";
import { formatTable } from "../table.ts";

// `csm sync init|push|pull|status|lock`: conversations shared through a git repository.

const USAGE = "sync init URL|PATH | push [--project PATH] [--no-memory] | pull [--no-memory] | status [--json] | lock list [--json] | lock release ID [--force]";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "sync",
    argv,
    { json: { type: "boolean" }, project: { type: "string" }, force: { type: "boolean" }, "no-memory": { type: "boolean" } },
    { min: 1, max: 3 },
  );
  const [sub, arg, extra] = positionals;
  const ctx = await createContext();
  try {
    switch (sub) {
      case "init": {
        if (!arg || extra) throw usageError(`usage: csm ${USAGE.split(" | ")[0]}`);
        const url = /^[a-z+]+:\/\/|^[^/]+@[^/]+:/.test(arg) ? arg : expandHome(arg, ctx.env);
        const dir = await syncInit(ctx, url);
        io.out(`sync repository ${url} cloned into ${dir}; keep it private: transcripts may hold secrets`);
        return 0;
      }
      case "push": {
        const report = await syncPush(ctx, { project: flags.project ? expandHome(flags.project, ctx.env) : undefined, noMemory: flags["no-memory"] });
        if (flags.json) io.out(jsonText(report, 2));
        else {
          for (const w of report.written) if (w.how === "fork") io.out(`${w.id}: diverged from the repository's copy; pushed as fork ${w.repoId}`);
          io.out(`pushed ${report.written.length} conversation(s), ${report.memory.length} memory file(s), ${(report.bytesWritten / 1e6).toFixed(1)} MB; ${report.unchanged} unchanged${report.behind.length ? `; ${report.behind.length} behind the repository (csm sync pull)` : ""}`);
        }
        return 0;
      }
      case "pull": {
        const report = await syncPull(ctx, { noMemory: flags["no-memory"] });
        if (flags.json) io.out(jsonText(report, 2));
        else {
          for (const w of report.written) if (w.how === "fork") io.out(`${w.id}: both sides grew; the repository's copy is kept here as ${w.localId}`);
          for (const l of report.locked) io.err(`${l.id}: locked by ${printable(l.machine)}; left as it is`);
          for (const s of report.skipped) io.err(`${s.id}: ${printable(s.reason)}`);
          for (const m of report.memoryKept) io.err(`${m}: changed here since the last sync; kept (it wins at the next push)`);
          if (report.foreign.length) io.err(`${report.foreign.length} file(s) in the repository are not csm's; ignored (csm sync status lists them)`);
          io.out(`pulled ${report.written.length} conversation(s), ${report.memory.length} memory file(s)`);
        }
        return report.skipped.length > 0 ? 1 : 0;
      }
      case "status": {
        const status = await syncStatus(ctx);
        io.out(flags.json ? jsonText(status, 2) : formatStatus(status));
        return 0;
      }
      case "lock": {
        if (arg === "list" || arg === undefined) {
          const locks = await listSyncLocks(ctx);
          if (flags.json) io.out(jsonText(locks, 2));
          else if (locks.length === 0) io.out("no conversation is locked");
          else io.out(formatTable(["ID", "MACHINE", "HEARTBEAT", "EXPIRES", "STATE"], locks.map((l) => [l.id, printable(l.machine), l.heartbeat, l.expires, l.live ? "live" : "stale"])));
          return 0;
        }
        if (arg === "release" && extra) {
          const lock = await releaseSyncLock(ctx, extra, flags.force === true);
          io.out(`released ${printable(lock.machine)}'s lock on ${lock.id}`);
          return 0;
        }
        throw usageError("usage: csm sync lock list | csm sync lock release ID [--force]");
      }
      default:
        throw usageError(`sync: unknown subcommand ${JSON.stringify(sub)}; usage: csm ${USAGE}`);
    }
  } finally {
    ctx.close();
  }
}

export function formatStatus(status: SyncStatus): string {
  const rows = status.conversations.map((c) => [
    c.id,
    c.fork === "mine" ? `${c.relation} (pushed as fork ${c.repoId!.slice(0, 8)})` : c.fork === "theirs" ? `${c.relation} (fork: the repository's ${c.repoId!.slice(0, 8)})` : c.relation,
    c.lockedBy ? `${printable(c.lockedBy)}${c.lockExpired ? " (stale)" : ""}` : "",
    printable(c.cwd ?? ""),
  ]);
  const lines = [`machine ${printable(status.machine)}, repository ${printable(status.repo)}`, rows.length ? formatTable(["ID", "SYNC", "LOCKED BY", "CWD"], rows) : "no conversations here or there"];
  if (status.uncoveredPaths.length) lines.push(`paths no placeholder covers (kept as they are): ${status.uncoveredPaths.map((p) => printable(p)).join(", ")}`);
  if (status.foreign.length) lines.push(`not csm's, ignored: ${status.foreign.map((p) => printable(p)).join(", ")}`);
  return lines.join("\n");
}
