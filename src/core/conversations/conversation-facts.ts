// What the index knows about one Claude Code conversation, folded from its transcript.
// Everything here survives a restart as JSON in the index, so a file that only grew is
// folded on from where the last pass stopped (see transcript-fold.ts).

export interface ToolUseFact {
  id: string;
  name: string;
  /** The input a person recognises the call by: the command, the path, the pattern… */
  input: string;
  at?: string;
  /** A tool_result for this call was recorded. */
  answered: boolean;
}

export interface ErrorFact {
  at?: string;
  text: string;
}

export interface ConversationFacts {
  id: string;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  models: string[];
  customTitle?: string;
  aiTitle?: string;
  firstPrompt?: string;
  /** Prompts from a person: typed, or given with `-p`. */
  turns: number;
  /** Assistant replies (messages, not records: claude may split one message over records). */
  replies: number;
  /** Slash commands and their output, caveats: records that are neither prompt nor reply. */
  localCommands: number;
  outputTokens: number;
  compactions: number;
  startedAt?: string;
  lastActiveAt?: string;
  lastToolUse?: ToolUseFact;
  lastError?: ErrorFact;
  /** The assistant message id last counted, so a message split over records counts once. */
  lastMessageId?: string;
  skipped: SkipCounts;
}

/** Lines that were not read, by reason; shown by `csm history --stats`. */
export type SkipCounts = Partial<Record<SkipReason, number>>;

export type SkipReason = "invalid-json" | "oversized-line" | "unknown-record" | "partial-last-line";

export function emptyFacts(id: string): ConversationFacts {
  return { id, models: [], turns: 0, replies: 0, localCommands: 0, outputTokens: 0, compactions: 0, skipped: {} };
}

/** Title as a person sees it: their own (`/rename`), else claude's, else the first prompt. */
export function titleOf(facts: Pick<ConversationFacts, "customTitle" | "aiTitle" | "firstPrompt">): string {
  return facts.customTitle ?? facts.aiTitle ?? facts.firstPrompt ?? "";
}
