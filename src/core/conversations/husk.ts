import type { ConversationFacts } from "./conversation-facts.ts";
import type { ConversationState } from "./conversation-record.ts";

// A husk: a conversation file with nothing a person said and nothing claude answered in it,
// left behind by `/clear`, `/compact`, a slash command typed and abandoned, a claude started
// and quit. The rules live here, in order, and each husk names the rule that matched it.

export type HuskRule = "empty file" | "only an empty compaction" | "only local commands" | "only metadata";

export interface HuskSubject {
  facts: Pick<ConversationFacts, "turns" | "replies" | "localCommands" | "compactions" | "customTitle">;
  sizeBytes: number;
  state: ConversationState;
  /** Bytes not yet indexed (a half-written last line): something may still be arriving. */
  unindexedBytes: number;
}

/** The rule that makes this conversation a husk, or null when it is not one. */
export function huskRule(subject: HuskSubject): HuskRule | null {
  const { facts } = subject;
  // Held by a claude (or a csm session): whatever it holds is being written now.
  if (subject.state !== "transcript") return null;
  if (subject.unindexedBytes > 0) return null;
  if (facts.turns > 0 || facts.replies > 0) return null;
  // A person named it: they meant to keep it.
  if (facts.customTitle) return null;
  if (subject.sizeBytes === 0) return "empty file";
  if (facts.compactions > 0) return "only an empty compaction";
  if (facts.localCommands > 0) return "only local commands";
  return "only metadata";
}
