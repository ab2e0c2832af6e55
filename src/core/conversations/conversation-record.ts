import { oneLine } from "../../shared/printable.ts";
import type { IndexedFile } from "../../store/conversation-index.ts";
import { titleOf, type ErrorFact, type ToolUseFact } from "./conversation-facts.ts";

// The conversation as csm shows it: in `csm history --json`, the API and the dashboard.
// One shape on every host, so a remote host's answer is merged as it comes.

/** `csm`: a csm session runs it; `live`: a claude outside csm holds it; `transcript`: only the file. */
export type ConversationState = "csm" | "live" | "transcript";

export interface ConversationRecord {
  id: string;
  host: string;
  cwd: string | null;
  /** claude's project directory name (the slug of the cwd). */
  project: string;
  title: string;
  state: ConversationState;
  /** The csm session running it (state `csm`). */
  session: string | null;
  /** The claude process holding it (state `live`). */
  pid: number | null;
  /**
   * The holding claude runs in another PID namespace (a container sharing this claude
   * config dir): `pid` names no process here, and whether it still runs cannot be checked.
   */
  pidElsewhere: boolean;
  turns: number;
  startedAt: string | null;
  lastActiveAt: string | null;
  sizeBytes: number;
  path: string;
  subagents: number;
}

export interface ConversationInfo extends ConversationRecord {
  customTitle: string | null;
  aiTitle: string | null;
  gitBranch: string | null;
  version: string | null;
  models: string[];
  firstPrompt: string | null;
  replies: number;
  outputTokens: number;
  compactions: number;
  lastToolUse: ToolUseFact | null;
  lastError: ErrorFact | null;
  /** How it ended, as far as the transcript and csm can tell. */
  ending: string;
  skipped: Record<string, number>;
}

export interface SearchHit extends ConversationRecord {
  /** Text around the hit; the hit itself between \x02 and \x03 (printers mark it their way). */
  snippet: string;
  rank: number;
}

export interface Holder {
  state: ConversationState;
  session: string | null;
  pid: number | null;
  pidElsewhere: boolean;
}

export const NOT_HELD: Holder = { state: "transcript", session: null, pid: null, pidElsewhere: false };

/** The claude holding a live conversation, as a sentence names it. */
export const liveClaudeText = (holder: Pick<Holder, "pid" | "pidElsewhere">) =>
  holder.pidElsewhere ? `claude pid ${holder.pid} in another PID namespace, which cannot be checked from here` : `claude pid ${holder.pid}`;

/** A title fits a table cell and a JSON consumer alike: one line, at most this long. */
const TITLE_CHARS = 120;

export function shortTitle(text: string): string {
  const line = oneLine(text).trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function toRecord(file: IndexedFile, host: string, holder: Holder): ConversationRecord {
  const facts = file.facts;
  return {
    id: file.id,
    host,
    cwd: facts.cwd ?? null,
    project: file.project,
    title: shortTitle(titleOf(facts)),
    state: holder.state,
    session: holder.session,
    pid: holder.pid,
    pidElsewhere: holder.pidElsewhere,
    turns: facts.turns,
    startedAt: facts.startedAt ?? null,
    lastActiveAt: facts.lastActiveAt ?? null,
    sizeBytes: file.size,
    path: file.path,
    subagents: file.subagents,
  };
}

export function toInfo(file: IndexedFile, host: string, holder: Holder, endReason: string | null): ConversationInfo {
  const facts = file.facts;
  return {
    ...toRecord(file, host, holder),
    customTitle: facts.customTitle ?? null,
    aiTitle: facts.aiTitle ?? null,
    gitBranch: facts.gitBranch ?? null,
    version: facts.version ?? null,
    models: facts.models,
    firstPrompt: facts.firstPrompt ?? null,
    replies: facts.replies,
    outputTokens: facts.outputTokens,
    compactions: facts.compactions,
    lastToolUse: facts.lastToolUse ?? null,
    lastError: facts.lastError ?? null,
    ending: endingOf(file, holder, endReason),
    skipped: partialLine(file) ? { ...facts.skipped, "partial-last-line": 1 } : { ...facts.skipped },
  };
}

const partialLine = (file: IndexedFile) => file.offset < file.size;

function endingOf(file: IndexedFile, holder: Holder, endReason: string | null): string {
  if (holder.state === "csm") return `running in csm session ${holder.session}`;
  if (holder.state === "live") return `running (${liveClaudeText(holder)})`;
  if (endReason) return endReason;
  const last = file.facts.lastToolUse;
  if (last && !last.answered) return `ended while running ${last.name}${last.input ? ` ${oneLine(last.input).slice(0, 200)}` : ""}`;
  if (partialLine(file)) return "ended in the middle of writing a record";
  return file.facts.replies > 0 ? "ended after a reply" : "ended before any reply";
}
