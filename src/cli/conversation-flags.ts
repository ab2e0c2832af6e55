import { isConversationRef } from "../core/conversations/conversation-ref.ts";
import { usageError } from "../shared/errors.ts";
import { checkName } from "../shared/names.ts";

// The conversation commands' flags and small words: pure, and light enough for the fast path
// of `csm search` / `csm history` through a running hub (see conversation-hosts.ts for the rest).

export type HostChoice = { kind: "local" } | { kind: "one"; host: string } | { kind: "all" };

export function hostChoice(flags: { host?: string; "all-hosts"?: boolean }, defaultAll: boolean): HostChoice {
  if (flags.host !== undefined && flags["all-hosts"]) throw usageError("--host and --all-hosts cannot be used together");
  if (flags.host !== undefined) return flags.host === "local" ? { kind: "local" } : { kind: "one", host: checkName("host", flags.host) };
  return flags["all-hosts"] || defaultAll ? { kind: "all" } : { kind: "local" };
}

/** A positive whole number flag, or the default. */
export function limitFlag(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) === 0) throw usageError(`--limit takes a positive whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** What a person gave to name a conversation: data for a lookup, never a path. */
export function checkRef(ref: string): string {
  if (!isConversationRef(ref)) throw usageError("give a conversation id, id prefix, title or csm session name");
  return ref;
}

/** The project as a person names it: the last part of the cwd. */
export { projectName } from "../core/conversations/search-text.ts";
