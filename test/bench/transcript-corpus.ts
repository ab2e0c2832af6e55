import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A synthetic `$CLAUDE_CONFIG_DIR/projects` for the conversations bench: transcripts shaped
// like those of claude 2.1.330 (record types, field order, stringified blobs), most of
// their bytes in blobs that repeat in every file, and prompts and replies in varied text
// drawn Zipf-like from a few thousand words, with rare phrases planted for searches.
// The same seed gives the same bytes; `cachedTranscriptCorpus` keeps one per version.

/** Bump when the output changes: the cache directory is keyed by it. */
export const CORPUS_VERSION = 1;
const CLAUDE_VERSION = "2.1.330";
const DAY_MS = 86_400_000;
/** The newest record of the corpus; fixed so that the same seed gives the same files. */
const DEFAULT_END_MS = Date.parse("2026-11-29T18:00:00.000Z");

export interface CorpusOptions {
  files: number;
  projects?: number;
  seed?: number;
  endMs?: number;
  days?: number;
}

export interface CorpusStats {
  configDir: string;
  files: number;
  projects: number;
  bytes: number;
  generatedMs: number;
  /** Found complete under the cache directory, not written by this call. */
  cached: boolean;
}

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int = (n: number) => Math.floor(this.next() * n);
  between = (min: number, max: number) => min + this.int(max - min + 1);
  chance = (p: number) => this.next() < p;
  pick = <T>(items: readonly T[]): T => items[this.int(items.length)]!;
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += (this.int(0x10000000) + 0x10000000).toString(16).slice(1);
    return out.slice(0, length);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

// ---- Vocabulary: real words at the top ranks, made-up words filling the long tail.

const COMMON = (
  "the to and a of in is it that for this you on with be as not are we can if but at or from so by an was all do " +
  "will have i there just what when use one should need now then it's file test error function code add run make " +
  "fix change why how build check also new like after before still only here into up out more some no which " +
  "update remove config branch commit server client request response value type data list name path line tests " +
  "cache deploy database query index table schema user session state event handler hook route api endpoint token " +
  "log logs output input string number array object field method class module package import export default return " +
  "async await promise timeout retry queue worker job task process thread lock memory disk network port host " +
  "docker container image release version tag merge rebase diff patch review pull push main feature bug issue " +
  "failing passing green red slow fast broken works working looks seems think want try let see show write read " +
  "delete create move rename split join parse format render layout style button modal page view screen component " +
  "props render loop variable constant argument parameter flag option command script shell terminal prompt reply " +
  "message model context window width height size count total first last next previous small large empty null " +
  "undefined true false case edge path directory folder workspace repo repository upstream origin local remote " +
  "production staging environment secret key auth login password permission role admin account billing invoice " +
  "payment order customer product price report chart metric alert monitor trace span latency throughput benchmark " +
  "profile flame graph cpu allocation garbage collector heap stack frame pointer reference copy clone snapshot " +
  "backup restore migrate migration rollback transaction commit isolation replica shard partition cluster node " +
  "pod service ingress proxy gateway certificate tls dns domain url link header cookie cors csrf json yaml toml " +
  "csv xml html css typescript javascript python rust go bun node npm yarn webpack vite eslint prettier jest vitest"
).split(" ");

const PLANTED_WORDS = ["zanzibar", "checksum", "drift", "periwinkle", "quorum", "obsidian", "lighthouse", "marzipan", "deadlock", "quokka", "heliotrope"];

const VOCAB_SIZE = 4000;

function buildVocabulary(): string[] {
  const rng = new Random(7);
  const onsets = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl", "pr", "r", "s", "sh", "sk", "st", "t", "th", "tr", "v", "w", "z"];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "y"];
  const codas = ["", "", "n", "r", "s", "l", "t", "m", "x", "nd", "rk", "st", "ng"];
  const taken = new Set([...COMMON, ...PLANTED_WORDS]);
  const words = [...new Set(COMMON)];
  while (words.length < VOCAB_SIZE) {
    let word = "";
    for (let s = rng.between(2, 3); s > 0; s--) word += rng.pick(onsets) + rng.pick(vowels) + (s === 1 ? rng.pick(codas) : "");
    if (taken.has(word) || PLANTED_WORDS.some((planted) => word.includes(planted))) continue;
    taken.add(word);
    words.push(word);
  }
  return words;
}

export const VOCABULARY = buildVocabulary();

/** rank → word by a table: a uniform 16-bit draw lands on a rank with Zipf probability. */
const ZIPF_TABLE = (() => {
  const weights = VOCABULARY.map((_, rank) => 1 / Math.pow(rank + 2, 1.05));
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint16Array(1 << 16);
  let rank = 0;
  let cumulative = weights[0]! / total;
  for (let slot = 0; slot < table.length; slot++) {
    const u = (slot + 0.5) / table.length;
    while (u > cumulative && rank < weights.length - 1) cumulative += weights[++rank]! / total;
    table[slot] = rank;
  }
  return table;
})();

const COLLOCATIONS = [
  "race condition", "merge conflict", "flaky test", "memory leak", "rate limit", "null pointer", "dead code", "feature flag",
  "connection pool", "stack trace", "retry loop", "schema migration", "cache invalidation", "unit test", "pull request",
  "code review", "exit code", "type error", "config file", "cold start",
];

/** Rare phrases and, for a corpus of 10,000 files, how many files carry each. */
export const PLANTED_PHRASES = [
  { phrase: "zanzibar checksum drift", files: 1 },
  { phrase: "periwinkle quorum", files: 3 },
  { phrase: "obsidian lighthouse", files: 10 },
  { phrase: "marzipan deadlock", files: 30 },
  { phrase: "heliotrope", files: 100 },
  { phrase: "quokka", files: 300 },
];

/** Twenty searches: common and mid-frequency words, planted phrases, two-word phrases. */
export const BENCH_QUERIES: { query: string; kind: "common word" | "mid word" | "rare word" | "planted" | "two words" }[] = [
  ...["error", "test", "deploy", "cache", "timeout"].map((query) => ({ query, kind: "common word" as const })),
  ...[VOCABULARY[400]!, VOCABULARY[1500]!, VOCABULARY[3500]!].map((query) => ({ query, kind: "mid word" as const })),
  ...PLANTED_PHRASES.map(({ phrase }) => ({ query: phrase, kind: "planted" as const })),
  ...["race condition", "merge conflict", "flaky test", "memory leak", "connection pool", "cold start"].map((query) => ({ query, kind: "two words" as const })),
];

const word = (rng: Random) => VOCABULARY[ZIPF_TABLE[rng.int(1 << 16)]!]!;
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function sentence(rng: Random): string {
  const words: string[] = [];
  for (let n = rng.between(5, 18); n > 0; n--) words.push(word(rng));
  if (rng.chance(0.15)) words.splice(rng.int(words.length), 0, rng.pick(COLLOCATIONS));
  if (rng.chance(0.08)) words.splice(rng.int(words.length), 0, `src/${word(rng)}/${word(rng)}.ts`);
  if (rng.chance(0.05)) words.splice(rng.int(words.length), 0, `\`${word(rng)}${capitalized(word(rng))}()\``);
  return capitalized(words.join(" ")) + (rng.chance(0.15) ? "?" : ".");
}

function paragraph(rng: Random, sentences: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(sentence(rng));
  return parts.join(" ");
}

function codeFile(rng: Random, lines: number): string {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    const body = rng.chance(0.2)
      ? `  // ${sentence(rng)}`
      : rng.chance(0.5)
        ? `  const ${word(rng)}${capitalized(word(rng))} = await ${word(rng)}(${word(rng)}, "${word(rng)}");`
        : `  if (${word(rng)}.${word(rng)} === ${rng.int(100)}) return ${word(rng)}${capitalized(word(rng))};`;
    out.push(`${String(i).padStart(6)}\t${body}`);
  }
  return out.join("\n");
}

// ---- Blobs: the same text in every file, serialised once.

const BLOBS = (() => {
  const rng = new Random(11);
  const headings = ["# Tone and style", "# Doing tasks", "# Tool usage policy", "# Code references", "# Git safety", "# Testing", "# Security"];
  const sections: string[] = ["\nYou are an agent working with the user toward their goals, using your own judgment along the way."];
  while (sections.join("\n\n").length < 28_000) sections.push(`${rng.pick(headings)}\n${paragraph(rng, 6)}\n- ${sentence(rng)}\n- ${sentence(rng)}`);
  const systemPrompt = sections.join("\n\n");
  const tools = ["Bash", "Read", "Edit", "Write", "Glob", "Grep", "Agent", "Skill", "TodoWrite", "ToolSearch", "NotebookEdit", "WebFetch", "WebSearch", "KillShell", "BashOutput", "ExitPlanMode"].map((name) => ({
    name,
    description: Array.from({ length: 4 }, () => paragraph(rng, 4)).join("\n\n"),
    input_schema: {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 4 }, () => [word(rng), { type: "string", description: sentence(rng) }])),
      required: [],
      additionalProperties: false,
      $schema: "http://json-schema.org/draft-07/schema#",
    },
  }));
  const skills = Array.from({ length: 14 }, () => `- ${word(rng)}-${word(rng)}: ${paragraph(rng, 3)}`).join("\n");
  const agents = ["claude", "Explore", "general-purpose", "Plan", "statusline-setup"].map((name) => `- ${name}: ${paragraph(rng, 2)} (Tools: *)`).join("\n");
  const reminder = (text: string) => `<system-reminder>\n${text}\n</system-reminder>`;
  const quoted = (value: unknown) => JSON.stringify(JSON.stringify(value));
  const shapeHash = rng.hex(64);
  return {
    systemPrompt,
    skills,
    agents,
    reminder,
    shapeHash,
    codeFiles: Array.from({ length: 48 }, () => codeFile(rng, rng.between(20, 70))),
    /** Values of `attachment` as claude writes them: a JSON string, not an object. */
    skillListing: quoted({ type: "skill_listing", content: skills, skillCount: 14, isInitial: true }),
    skillRendered: quoted([{ content: reminder(`The following skills are available for use with the Skill tool:\n\n${skills}`) }]),
    agentListing: quoted({ type: "agent_listing_delta", addedTypes: ["claude", "Explore", "general-purpose", "Plan", "statusline-setup"], addedLines: agents.split("\n"), removedTypes: [], isInitial: true }),
    agentRendered: quoted([{ content: reminder(`Available agent types for the Agent tool:\n${agents}`) }]),
    snapshot: quoted({ type: "prompt_snapshot", systemPrompt: [systemPrompt], reminderFold: true, echoWireToolInputs: true, contextRendering: "wire-v2" }),
    snapshotWithTools: quoted({ type: "prompt_snapshot", systemPrompt: [systemPrompt], tools, cliPrefix: "You are Claude Code, Anthropic's official CLI for Claude.", reminderFold: true, echoWireToolInputs: true, contextRendering: "wire-v2" }),
    shape: quoted({ system: [{ type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." }, { type: "text", text: systemPrompt }], tools }),
  };
})();

// ---- One transcript.

interface Writer {
  rng: Random;
  sessionId: string;
  cwd: string;
  gitBranch: string;
  at: number;
  parent: string | null;
  lines: string[];
  lastRequest?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function tick(w: Writer, min: number, max: number): string {
  w.at += w.rng.between(min, max);
  return iso(w.at);
}

/** A conversation record: the chain fields first and the session fields last, as claude orders them. */
function conversationRecord(w: Writer, fields: Record<string, unknown>, tail: Record<string, unknown> = {}): string {
  const uuid = w.rng.uuid();
  const record = { parentUuid: w.parent, isSidechain: false, ...fields, uuid, timestamp: tick(w, 1, 40), ...tail, userType: "external", entrypoint: "cli", cwd: w.cwd, sessionId: w.sessionId, version: CLAUDE_VERSION, gitBranch: w.gitBranch };
  w.parent = uuid;
  w.lines.push(JSON.stringify(record));
  return uuid;
}

function attachment(w: Writer, value: Record<string, unknown>, rendered?: string): void {
  conversationRecord(w, { attachment: value, type: "attachment" }, rendered === undefined ? {} : { rendered: [{ content: BLOBS.reminder(rendered) }], renderedRole: "system" });
}

/** A record whose blob is already serialised: spliced in as text, never re-encoded. */
function rawAttachment(w: Writer, attachmentJson: string, renderedJson?: string): void {
  const uuid = w.rng.uuid();
  const rendered = renderedJson === undefined ? "" : `,"rendered":${renderedJson},"renderedRole":"system"`;
  w.lines.push(
    `{"parentUuid":${JSON.stringify(w.parent)},"isSidechain":false,"attachment":${attachmentJson},"type":"attachment","uuid":"${uuid}","timestamp":"${tick(w, 1, 5)}"${rendered},"userType":"external","entrypoint":"cli","cwd":${JSON.stringify(w.cwd)},"sessionId":"${w.sessionId}","version":"${CLAUDE_VERSION}","gitBranch":${JSON.stringify(w.gitBranch)}}`,
  );
  w.parent = uuid;
}

function apiRequest(w: Writer, message: unknown, first: boolean): void {
  const hash = w.rng.hex(64);
  // The first blob of a session holds its message as a JSON string, later ones as objects.
  const body = first ? JSON.stringify(JSON.stringify(message)) : JSON.stringify(message);
  w.lines.push(`{"type":"api-request-blob","sessionId":"${w.sessionId}","hash":"${hash}","message":${body}}`);
  const id = w.rng.uuid();
  w.lines.push(
    JSON.stringify({
      type: "api-request", sessionId: w.sessionId, id, timestamp: tick(w, 5, 60), version: CLAUDE_VERSION, querySource: "repl_main_thread", shapeHash: BLOBS.shapeHash,
      params: { model: "claude-sonnet-4-5", betas: ["claude-code-20250219", "interleaved-thinking-2025-05-14", "context-management-2025-06-27"], max_tokens: 32000, thinking: { budget_tokens: 31999, type: "enabled", display: "omitted" } },
      ...(w.lastRequest ? { base: w.lastRequest } : {}), keep: w.lastRequest ? 1 : 0, tail: [hash], requestDigest: w.rng.hex(64),
    }),
  );
  w.lastRequest = id;
}

function assistant(w: Writer, content: unknown[], stopReason: string, messageId = `msg_${w.rng.hex(24)}`): void {
  const usage = { input_tokens: w.rng.between(3, 40), cache_creation_input_tokens: w.rng.between(0, 4000), cache_read_input_tokens: w.rng.between(10_000, 150_000), output_tokens: w.rng.between(20, 1500), service_tier: "standard" };
  tick(w, 800, 20_000);
  conversationRecord(w, { message: { id: messageId, type: "message", role: "assistant", model: "claude-sonnet-4-5", content, stop_reason: stopReason, stop_sequence: null, usage }, requestId: `req_${w.rng.hex(24)}`, requestRef: w.lastRequest, type: "assistant" });
}

function toolCall(w: Writer): void {
  const rng = w.rng;
  const id = `toolu_${rng.hex(24)}`;
  const kind = rng.pick(["Bash", "Bash", "Read", "Read", "Edit"] as const);
  const filePath = `${w.cwd}/src/${word(rng)}/${word(rng)}.ts`;
  const code = rng.pick(BLOBS.codeFiles);
  const failed = kind === "Bash" && rng.chance(0.12);
  let input: Record<string, unknown>;
  let result: string;
  let toolUseResult: Record<string, unknown>;
  if (kind === "Bash") {
    const command = rng.pick([`bun test src/${word(rng)}`, "git status --short", `rg -n "${word(rng)}" src`, `ls src/${word(rng)}`, `git log --oneline -${rng.between(3, 20)}`, "bun run typecheck"]);
    input = { command, description: capitalized(`${word(rng)} ${word(rng)} ${word(rng)}`) };
    const stdout = Array.from({ length: rng.between(1, 12) }, () => `${word(rng)} ${word(rng)}: ${sentence(rng)}`).join("\n");
    result = failed ? `Exit code 1\n${stdout}\nerror: ${sentence(rng)}` : stdout;
    toolUseResult = { stdout: failed ? "" : stdout, stderr: failed ? result : "", interrupted: false, isImage: false, noOutputExpected: false };
  } else if (kind === "Read") {
    input = { file_path: filePath };
    result = code;
    toolUseResult = { type: "text", file: { filePath, content: code, numLines: code.split("\n").length, startLine: 1, totalLines: code.split("\n").length } };
  } else {
    const oldString = `  return ${word(rng)};`;
    const newString = `  return ${word(rng)}${capitalized(word(rng))};`;
    input = { file_path: filePath, old_string: oldString, new_string: newString, replace_all: false };
    result = `The file ${filePath} has been updated successfully.`;
    toolUseResult = { filePath, oldString, newString, originalFile: code, structuredPatch: [{ oldStart: 12, oldLines: 1, newStart: 12, newLines: 1, lines: [`-${oldString}`, `+${newString}`] }], userModified: false, replaceAll: false };
  }
  const messageId = `msg_${rng.hex(24)}`;
  // claude writes one record per content block: a text block and its tool_use share a message id.
  if (rng.chance(0.4)) assistant(w, [{ type: "text", text: paragraph(rng, rng.between(1, 3)) }], "tool_use", messageId);
  assistant(w, [{ type: "tool_use", id, name: kind, input }], "tool_use", messageId);
  const assistantUuid = w.parent;
  tick(w, 30, 9000);
  conversationRecord(w, { promptId: w.rng.uuid(), type: "user", message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: result, is_error: failed }] } }, { toolUseResult, sourceToolAssistantUUID: assistantUuid });
  attachment(w, { type: "total_tokens_reminder", text: `<total_tokens>${rng.between(1, 15_000_000)} tokens left</total_tokens>` }, "<total_tokens>tokens left</total_tokens>");
  apiRequest(w, { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: result, is_error: failed }] }, false);
}

function userPrompt(w: Writer, text: string, promptIndex: number): void {
  w.lines.push(JSON.stringify({ type: "queue-operation", operation: "enqueue", timestamp: tick(w, 0, 3), sessionId: w.sessionId, content: text }));
  w.lines.push(JSON.stringify({ type: "queue-operation", operation: "dequeue", timestamp: tick(w, 0, 3), sessionId: w.sessionId }));
  conversationRecord(w, { promptId: w.rng.uuid(), type: "user", message: { role: "user", content: text } }, { permissionMode: "default", promptSource: "user", turnPosition: { promptIndex, turnIndex: 1 } });
}

function sessionHeader(w: Writer, prompt: string): void {
  const environment = `# Environment\nYou have been invoked in the following environment: \n - Primary working directory: ${w.cwd}\n - Is a git repository: true\n - Platform: linux\n - Shell: bash`;
  attachment(w, { type: "environment", snapshot: { workingDirectory: w.cwd, isWorktree: false, isGitRepo: true, platform: "linux", shell: "bash" } }, environment);
  attachment(w, { type: "model", identity: { modelId: "claude-sonnet-4-5", marketingName: "Sonnet 4.5" }, text: "You are powered by the model named Sonnet 4.5." }, "You are powered by the model named Sonnet 4.5.");
  rawAttachment(w, BLOBS.agentListing, BLOBS.agentRendered);
  rawAttachment(w, BLOBS.skillListing, BLOBS.skillRendered);
  w.lines.push(JSON.stringify({ type: "atis-latch", atis: "", sessionId: w.sessionId }));
  attachment(w, { type: "date", date: iso(w.at).slice(0, 10) }, `Today's date is ${iso(w.at).slice(0, 10)}.`);
  rawAttachment(w, BLOBS.snapshot);
  w.lines.push(`{"type":"api-request-shape","sessionId":"${w.sessionId}","shapeHash":"${BLOBS.shapeHash}","timestamp":"${tick(w, 1, 30)}","version":"${CLAUDE_VERSION}","shape":${BLOBS.shape}}`);
  const texts = [environment, `Available agent types for the Agent tool:\n${BLOBS.agents}`, `The following skills are available:\n\n${BLOBS.skills}`, `Today's date is ${iso(w.at).slice(0, 10)}.`];
  apiRequest(w, { role: "user", content: [...texts.map((text) => ({ type: "text", text: BLOBS.reminder(text) })), { type: "text", text: prompt }] }, true);
}

function exchange(w: Writer, prompt: string, promptIndex: number, plant: () => string): void {
  const rng = w.rng;
  userPrompt(w, prompt, promptIndex);
  if (promptIndex === 0) sessionHeader(w, prompt);
  else apiRequest(w, { role: "user", content: [{ type: "text", text: prompt }] }, false);
  for (let calls = rng.chance(0.3) ? 0 : rng.between(1, 4); calls > 0; calls--) toolCall(w);
  if (promptIndex === 0 && rng.chance(0.2)) rawAttachment(w, BLOBS.snapshotWithTools);
  assistant(w, [{ type: "text", text: `${plant()}${paragraph(rng, rng.between(2, 9))}` }], "end_turn");
  w.lines.push(JSON.stringify({ type: "last-prompt", lastPrompt: prompt, leafUuid: w.parent, sessionId: w.sessionId }));
  if (rng.chance(0.5)) conversationRecord(w, { type: "system", subtype: "turn_duration", durationMs: rng.between(2000, 600_000), isMeta: false });
}

function compaction(w: Writer): void {
  const rng = w.rng;
  const logicalParentUuid = w.parent;
  w.parent = null;
  conversationRecord(w, { logicalParentUuid, type: "system", subtype: "compact_boundary", content: "Conversation compacted", isMeta: false, level: "info", compactMetadata: { trigger: rng.pick(["auto", "manual"]), preTokens: rng.between(80_000, 160_000) } });
  const summary = `This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n${Array.from({ length: 6 }, () => paragraph(rng, 4)).join("\n\n")}`;
  conversationRecord(w, { type: "user", message: { role: "user", content: summary }, isVisibleInTranscriptOnly: true, isCompactSummary: true });
  rawAttachment(w, BLOBS.snapshot);
}

/** Sessions that never reached the API: a slash command, or a prompt interrupted at once. */
function shortSession(w: Writer): void {
  const rng = w.rng;
  const command = rng.pick(["model", "status", "config", "doctor", "mcp"]);
  conversationRecord(w, { type: "user", message: { role: "user", content: `<command-name>/${command}</command-name>\n            <command-message>${command}</command-message>\n            <command-args></command-args>` } }, { isMeta: false });
  conversationRecord(w, { type: "user", message: { role: "user", content: `<local-command-stdout>${sentence(rng)}</local-command-stdout>` } }, { isMeta: false });
  if (rng.chance(0.5)) {
    const prompt = paragraph(rng, rng.between(1, 3));
    userPrompt(w, prompt, 0);
    conversationRecord(w, { type: "user", message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user]" }] } });
    w.lines.push(JSON.stringify({ type: "last-prompt", lastPrompt: prompt, leafUuid: w.parent, sessionId: w.sessionId }));
  }
}

function transcript(w: Writer, planted: string[]): void {
  const rng = w.rng;
  if (rng.chance(0.35)) {
    shortSession(w);
    if (planted.length > 0) userPrompt(w, `${planted.join(" ")} ${sentence(rng)}`, 0);
    return;
  }
  // Heavy tail: most sessions are a prompt or three, a few run to dozens.
  const prompts = rng.chance(0.88) ? rng.between(1, 3) : rng.between(4, 12);
  const plantAt = new Map<string, number>(planted.map((phrase) => [phrase, rng.int(prompts * 2)]));
  const plant = (slot: number) => [...plantAt].filter(([, at]) => at === slot).map(([phrase]) => `${phrase} `).join("");
  for (let i = 0; i < prompts; i++) {
    if (i > 0) w.at += rng.between(30_000, 1_200_000);
    if (i > 4 && rng.chance(0.15)) compaction(w);
    const prompt = `${plant(i * 2)}${rng.chance(0.1) ? Array.from({ length: 6 }, () => paragraph(rng, 5)).join("\n\n") : paragraph(rng, rng.between(1, 3))}`;
    exchange(w, prompt, i, () => plant(i * 2 + 1));
    if (i === 0 && rng.chance(0.6)) w.lines.push(JSON.stringify({ type: "ai-title", aiTitle: capitalized(Array.from({ length: rng.between(3, 6) }, () => word(rng)).join(" ")), sessionId: w.sessionId }));
    if (rng.chance(0.04)) w.lines.push(JSON.stringify({ type: "custom-title", customTitle: `${word(rng)}-${word(rng)}`, sessionId: w.sessionId }));
  }
  w.lines.push(JSON.stringify({ type: "cost-state", sessionId: w.sessionId, totalCostUSD: rng.between(1, 500) / 100, totalAPIDuration: rng.between(1000, 900_000), totalLinesAdded: rng.between(0, 400), totalLinesRemoved: rng.between(0, 200), startTime: w.at - 3_600_000 }));
}

// ---- The corpus.

/** The directory name claude uses for a cwd (short paths only: long ones are cut and hashed). */
export const projectSlug = (cwd: string) => cwd.replace(/[^a-zA-Z0-9]/g, "-");

function projectDirs(rng: Random, count: number): string[] {
  const roots = ["/home/dev/src", "/home/dev/work", "/Users/ana/code", "/srv/repos", "/home/dev/.local/share/csm/worktrees"];
  const cwds = new Set<string>();
  const name = () => VOCABULARY[rng.between(300, 3000)]!;
  while (cwds.size < count) cwds.add(`${rng.pick(roots)}/${name()}-${name()}${rng.chance(0.3) ? `/${rng.pick(["api", "web", "packages/core", "cli"])}` : ""}`);
  return [...cwds];
}

/** Writes `options.files` transcripts under `<configDir>/projects/`. */
export async function writeTranscriptCorpus(configDir: string, options: CorpusOptions): Promise<Omit<CorpusStats, "configDir" | "cached">> {
  const started = performance.now();
  const rng = new Random(options.seed ?? 1);
  const projectCount = Math.min(options.projects ?? 500, options.files);
  const endMs = options.endMs ?? DEFAULT_END_MS;
  const spanMs = (options.days ?? 90) * DAY_MS;
  const cwds = projectDirs(rng, projectCount);
  await Promise.all(cwds.map((cwd) => mkdir(join(configDir, "projects", projectSlug(cwd)), { recursive: true })));

  const plantedIn = new Map<number, string[]>();
  for (const { phrase, files } of PLANTED_PHRASES) {
    const wanted = Math.max(1, Math.round((files * options.files) / 10_000));
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(rng.int(options.files));
    for (const index of chosen) plantedIn.set(index, [...(plantedIn.get(index) ?? []), phrase]);
  }

  let bytes = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < options.files; i++) {
    // Every project gets one file; the rest go Zipf-like to the busy ones.
    const cwd = i < projectCount ? cwds[i]! : cwds[Math.min(projectCount - 1, Math.floor(Math.pow(rng.next(), 2.2) * projectCount))]!;
    const w: Writer = { rng, sessionId: rng.uuid(), cwd, gitBranch: rng.chance(0.5) ? "main" : `${rng.pick(["feature", "fix", "csm"])}/${word(rng)}-${word(rng)}`, at: endMs - spanMs + rng.int(spanMs - 6 * 3_600_000), parent: null, lines: [] };
    transcript(w, plantedIn.get(i) ?? []);
    const text = `${w.lines.join("\n")}\n`;
    bytes += Buffer.byteLength(text);
    const path = join(configDir, "projects", projectSlug(cwd), `${w.sessionId}.jsonl`);
    const mtime = new Date(w.at);
    const write = Bun.write(path, text).then(() => utimes(path, mtime, mtime));
    pending.add(write);
    void write.finally(() => pending.delete(write));
    if (pending.size >= 16) await Promise.race(pending);
  }
  await Promise.all(pending);
  return { files: options.files, projects: projectCount, bytes, generatedMs: performance.now() - started };
}

/** The corpus for `files` transcripts, written once per CORPUS_VERSION and kept under the temp dir. */
export async function cachedTranscriptCorpus(files: number): Promise<CorpusStats> {
  const root = process.env.CSM_BENCH_CORPUS_DIR ?? join(tmpdir(), `csm-bench-corpus-v${CORPUS_VERSION}`, `files-${files}`);
  const configDir = join(root, "claude-config");
  const manifest = join(root, "complete.json");
  if (existsSync(manifest)) return { ...(JSON.parse(await readFile(manifest, "utf8")) as Omit<CorpusStats, "cached">), cached: true };
  // A corpus without its manifest was cut short: start over.
  await rm(root, { recursive: true, force: true });
  const stats = { configDir, ...(await writeTranscriptCorpus(configDir, { files })) };
  await writeFile(manifest, JSON.stringify(stats));
  return { ...stats, cached: false };
}

/**
 * Appends one exchange (prompt, a Bash call, a reply) to a transcript, stamped `atMs`.
 * Writes a new file over the old one, never into it: the old one may be a hard link
 * into the cached corpus, which must stay as generated.
 */
export async function growTranscript(path: string, seed: number, atMs: number): Promise<number> {
  const text = await readFile(path, "utf8");
  const lines = text.trimEnd().split("\n");
  const last = lines.map((line) => JSON.parse(line) as Record<string, unknown>).findLast((record) => typeof record.uuid === "string" && typeof record.cwd === "string")!;
  const rng = new Random(seed);
  const w: Writer = { rng, sessionId: String(last.sessionId), cwd: String(last.cwd), gitBranch: String(last.gitBranch), at: atMs, parent: String(last.uuid), lines: [] };
  const prompt = paragraph(rng, 2);
  userPrompt(w, prompt, 1);
  apiRequest(w, { role: "user", content: [{ type: "text", text: prompt }] }, false);
  toolCall(w);
  assistant(w, [{ type: "text", text: paragraph(rng, 3) }], "end_turn");
  w.lines.push(JSON.stringify({ type: "last-prompt", lastPrompt: prompt, leafUuid: w.parent, sessionId: w.sessionId }));
  const added = `${w.lines.join("\n")}\n`;
  await writeFile(`${path}.grow`, text + added);
  await rename(`${path}.grow`, path);
  return Buffer.byteLength(added);
}

if (import.meta.main) {
  // `bun test/bench/transcript-corpus.ts [FILES]`: writes (or finds) the cached corpus and says where.
  const stats = await cachedTranscriptCorpus(Number(process.argv[2] ?? 10_000));
  console.log(`${stats.files} transcripts in ${stats.projects} projects, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.cached ? "cached" : `written in ${(stats.generatedMs / 1000).toFixed(1)} s`}: ${stats.configDir}`);
}
