import type { Context } from "../core/context.ts";
import { askHosts, type HostAnswer } from "../core/conversations/conversations-everywhere.ts";
import type { ConversationInfo } from "../core/conversations/conversation-record.ts";
import { exactlyOne, LocalConversations } from "../core/conversations/local-conversations.ts";
import { HostRegistry } from "../core/hosts/host-registry.ts";
import { usageError } from "../shared/errors.ts";
import { checkName } from "../shared/names.ts";
import type { Output } from "./io.ts";
import { type HostChoice } from "./conversation-flags.ts";
import { printable } from "../shared/printable.ts";

export { checkRef, hostChoice, limitFlag, projectName, type HostChoice } from "./conversation-flags.ts";

// What the conversation commands share: which hosts a question goes to, this host's index
// opened and brought up to date, and unreachable hosts reported on stderr (the answer of the
// others still printed). Remote hosts are asked with `--host local`, so they answer for
// themselves and never fan out further.

export function hostNames(ctx: Context, choice: HostChoice): string[] {
  const configured = ["local", ...Object.keys(ctx.settings.config.hosts)];
  if (choice.kind === "local") return ["local"];
  if (choice.kind === "all") return configured;
  if (!configured.includes(choice.host)) throw usageError(`unknown host ${JSON.stringify(choice.host)} (configured: ${configured.join(", ")})`);
  return [choice.host];
}

export async function withConversations<T>(ctx: Context, work: (local: () => LocalConversations) => Promise<T>): Promise<T> {
  let opened: LocalConversations | null = null;
  const local = () => {
    if (!opened) {
      opened = LocalConversations.open(ctx);
      opened.ensureFresh();
    }
    return opened;
  };
  try {
    return await work(local);
  } finally {
    (opened as LocalConversations | null)?.close();
  }
}

/** Asks every chosen host; reports the ones that did not answer on stderr. */
export async function askChosenHosts<T extends { host: string }>(
  ctx: Context,
  choice: HostChoice,
  local: () => T[],
  remoteArgs: string[],
  io: Output,
): Promise<{ items: T[]; answers: HostAnswer<T>[] }> {
  const names = hostNames(ctx, choice);
  const registry = new HostRegistry(ctx);
  try {
    const answers = await askHosts(registry, names, local, remoteArgs);
    for (const answer of answers) if (answer.error) io.err(`csm: ${answer.host}: ${answer.error}`);
    return { items: answers.flatMap((answer) => answer.items), answers };
  } finally {
    registry.close();
  }
}


/**
 * Runs this very command on another host's csm (`--host H` for a command that acts on that
 * host's own files: gc, prune, trash, restore, rename). Its output is that host's to say,
 * made printable (stderr by io.err). Null when H is this host.
 */
export async function runOnHost(ctx: Context, host: string | undefined, command: string, args: string[], io: Output): Promise<number | null> {
  if (host === undefined || host === "local") return null;
  const name = checkName("host", host);
  if (!Object.hasOwn(ctx.settings.config.hosts, name)) throw usageError(`unknown host ${JSON.stringify(name)} (configured: ${["local", ...Object.keys(ctx.settings.config.hosts)].join(", ")})`);
  const registry = new HostRegistry(ctx);
  try {
    const { runRemoteCsm } = await import("../core/hosts/remote-csm.ts");
    const { REMOTE_QUERY_TIMEOUT_MS } = await import("../core/conversations/conversations-everywhere.ts");
    const result = await runRemoteCsm((await registry.get(name))!, [command, "--host", "local", ...args], REMOTE_QUERY_TIMEOUT_MS);
    // Text from another machine: printable, never raw.
    if (result.stdout.trim()) io.out(printable(result.stdout.trimEnd(), { multiline: true }));
    if (result.stderr.trim()) io.err(result.stderr.trimEnd());
    return result.code;
  } finally {
    registry.close();
  }
}

/** argv without `--host H` / `--host=H` (the rest goes to the other host as it was given). */
export function withoutHostFlag(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (argv[i] === "--host") i++;
    else if (!argv[i]!.startsWith("--host=")) rest.push(argv[i]!);
  }
  return rest;
}


/** The one conversation `ref` names on the chosen hosts (shared by info and resume). */
export async function findConversation(ctx: Context, choice: HostChoice, ref: string, local: () => ConversationInfo[], io: Output): Promise<ConversationInfo> {
  const { items, answers } = await askChosenHosts(ctx, choice, local, ["info", "--matches", "--", ref], io);
  const where = answers.length === 1 ? answers[0]!.host : "any host";
  return exactlyOne(ref, where, items);
}

