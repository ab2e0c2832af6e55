import { createContext, type Context } from "../core/context.ts";
import { HostRegistry, type KnownHost } from "../core/hosts/host-registry.ts";
import { listEverywhere } from "../core/hosts/list-everywhere.ts";
import { runRemoteCsm } from "../core/hosts/remote-csm.ts";
import { resolveSession } from "../core/hosts/resolve-session.ts";
import { withoutLive } from "../core/live/live-view.ts";
import { listSessions } from "../core/sessions/list.ts";
import { usageError } from "../shared/errors.ts";
import { printable } from "../shared/printable.ts";
import { checkName } from "../shared/names.ts";
import type { Output } from "./io.ts";

// Sends a command to the host its session is on. `csm attach api-fix` finds api-fix on
// whichever host has it (a unique prefix is enough) and runs `csm attach api-fix` there,
// through `ssh -t` when it needs the terminal. Nothing here runs when no SSH host is
// configured, and an exact local name never asks a remote.

interface Routable {
  /** Flags that take a value, so the session name is found among the rest. */
  valueFlags: string[];
  /** Needs the terminal: runs through `ssh -t`. */
  interactive?: (argv: string[]) => boolean;
}

const ROUTABLE: Record<string, Routable> = {
  attach: { valueFlags: [], interactive: () => true },
  kill: { valueFlags: [] },
  diff: { valueFlags: [] },
  send: { valueFlags: [] },
  logs: { valueFlags: ["tail"], interactive: (argv) => argv.includes("--follow") || argv.includes("-f") },
  interrupt: { valueFlags: [] },
  reconnect: { valueFlags: [] },
  merge: { valueFlags: ["into", "message", "m"] },
  push: { valueFlags: ["remote"] },
  approve: { valueFlags: [] },
  deny: { valueFlags: ["message"] },
  mute: { valueFlags: [] },
  unmute: { valueFlags: [] },
};

export type Routed = { argv: string[] } | { code: number };

/** `NAME@HOST` names a session on a host; it says the same as `--host HOST`, and the two must agree. */
export function splitHostQualifier(word: string, host: string | undefined): { name: string; host: string | undefined } {
  const at = word.lastIndexOf("@");
  if (at <= 0) return { name: word, host };
  const qualifier = checkName("host", word.slice(at + 1));
  if (host !== undefined && host !== qualifier) throw usageError(`${word} and --host ${host} name different hosts`);
  return { name: word.slice(0, at), host: qualifier };
}

/** Takes `--host H` / `--host=H` out of argv. */
export function takeHostFlag(argv: string[]): { host: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let host: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === "--host") host = argv[++i];
    else if (arg.startsWith("--host=")) host = arg.slice(7);
    else rest.push(arg);
  }
  if (host !== undefined) checkName("host", host);
  return { host, rest };
}

function nameIndex(argv: string[], routable: Routable): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (arg.startsWith("-")) {
      if (routable.valueFlags.includes(arg.replace(/^--?/, "")) && !arg.includes("=")) i++;
      continue;
    }
    return i;
  }
  return -1;
}

async function relay(host: KnownHost, command: string, argv: string[], interactive: boolean, io: Output): Promise<number> {
  if (interactive) return host.runner.runAttached([host.csm, command, ...argv]);
  const result = await runRemoteCsm(host, [command, ...argv], 60_000);
  // The remote csm's output is text from another machine: printable, never raw.
  if (result.stdout) io.out(printable(result.stdout.replace(/\n$/, ""), { multiline: true }));
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ""));
  return result.code;
}

export async function routeToHost(command: string, argv: string[], io: Output): Promise<Routed> {
  if (command !== "create" && !ROUTABLE[command]) return { argv };
  const { host, rest } = takeHostFlag(argv);
  const ctx = await createContext();
  const registry = new HostRegistry(ctx);
  try {
    if (host !== undefined && !registry.names().includes(host)) {
      throw usageError(`unknown host ${JSON.stringify(host)} (configured: ${registry.names().join(", ")})`);
    }
    if (command === "create") {
      if (host === undefined || host === "local") return { argv: rest };
      const target = (await registry.get(host))!;
      const repo = rest.includes("--repo") || rest.some((a) => a.startsWith("--repo=")) || !target.config?.defaultRepo ? [] : ["--repo", target.config.defaultRepo];
      return { code: await relay(target, "create", [...rest, ...repo], false, io) };
    }
    const routable = ROUTABLE[command]!;
    const index = nameIndex(rest, routable);
    if (index < 0) return { argv: rest };
    const named = splitHostQualifier(rest[index]!, host);
    const query = named.name;
    const wanted = named.host;
    if (wanted !== undefined && !registry.names().includes(wanted)) {
      throw usageError(`unknown host ${JSON.stringify(wanted)} (configured: ${registry.names().join(", ")})`);
    }
    const bare = [...rest.slice(0, index), query, ...rest.slice(index + 1)];
    if (registry.remoteNames().length === 0 || wanted === "local") return { argv: bare };
    // A bare name this machine has is this machine's session: no remote host is asked.
    if (wanted === undefined && ctx.sessions().get("local", query)) return { argv: bare };
    const everywhere = await listEverywhere(registry, () => localViews(ctx), wanted);
    const target = resolveSession(everywhere.sessions, query, wanted);
    const resolved = [...rest.slice(0, index), target.name, ...rest.slice(index + 1)];
    if (target.host === "local") return { argv: resolved };
    return { code: await relay((await registry.get(target.host))!, command, resolved, routable.interactive?.(rest) ?? false, io) };
  } finally {
    registry.close();
    ctx.close();
  }
}

async function localViews(ctx: Context) {
  const store = ctx.sessions();
  return (await listSessions(ctx)).map((view) => withoutLive(view, null, store.get(view.host, view.name)?.claudeSessionId ?? null));
}
