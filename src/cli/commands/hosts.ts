import { createContext } from "../../core/context.ts";
import { checkHost } from "../../core/hosts/host-check.ts";
import { HostRegistry } from "../../core/hosts/host-registry.ts";
import { printable } from "../../shared/printable.ts";
import { VERSION } from "../../shared/version.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";
import { formatTable } from "../table.ts";

// `csm hosts`: every host, checked in parallel: reachable (within 5 s), latency, versions.
export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("hosts", argv, { json: { type: "boolean" } }, { min: 0, max: 0 });
  const ctx = await createContext();
  const registry = new HostRegistry(ctx);
  try {
    const checks = await Promise.all(registry.names().map(async (name) => checkHost((await registry.get(name))!)));
    for (const check of checks) if (check.kind === "local") check.versions.csm = `csm ${VERSION}`;
    if (flags.json) printJson(io, checks);
    else
      io.out(
        formatTable(
          ["HOST", "ADDRESS", "STATE", "LATENCY", "TMUX", "GIT", "CLAUDE", "CSM"],
          checks.map((c) => [
            c.name,
            c.address,
            c.reachable ? "reachable" : "unreachable",
            c.latencyMs === null ? "-" : `${c.latencyMs} ms`,
            c.versions.tmux?.replace(/^tmux /, "") ?? "-",
            c.versions.git?.replace(/^git version /, "") ?? "-",
            c.versions.claude?.replace(/ \(Claude Code\)$/, "") ?? "-",
            c.versions.csm?.replace(/^csm /, "") ?? (c.reachable && c.kind === "ssh" ? "not installed" : "-"),
          ]),
        ),
      );
    // Why a host is unreachable can be long (a host key to check, with the fix): under the
    // table, printable (it may quote the host's own stderr). formatTable does the cells.
    if (!flags.json) for (const c of checks) if (!c.reachable) io.out(`\n${c.name}: ${printable(c.error ?? "", { multiline: true })}`);
    return checks.every((c) => c.reachable) ? 0 : 1;
  } finally {
    registry.close();
    ctx.close();
  }
}
