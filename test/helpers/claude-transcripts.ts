// Real Claude Code transcripts for tests. Each scenario runs the real claude binary against the
// fake Messages API in a config dir of its own under `root`, and returns what it made (ids, cwd,
// paths, the texts it scripted) so index tests assert against what claude really writes.
// Record shapes seen with 2.1.330: test/fixtures/claude-transcript-facts.md.
//
// Scenarios share `<root>/claude-config` (one "host"), so a test can make several and index them
// together. Each queues on the fake API exactly the replies its run consumes: run them one at a time.

import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  bashReply,
  prepareClaudeEnv,
  textReply,
  toolUseReply,
  type FakeAnthropic,
  type MessagesRequest,
} from "../fixtures/fake-anthropic.ts";
import { waitFor } from "./wait-for.ts";

export const CLAUDE_BIN = resolve(import.meta.dir, "../../node_modules/.bin/claude");
const WAIT_MS = 15_000;

export interface ScenarioOptions {
  root: string;
  api: FakeAnthropic;
  /** The conversation's working directory; default `<root>/project`. Created if missing. */
  cwd?: string;
}

/** One record of a transcript: a JSON object a line, told apart by `type` (and `subtype`). */
export interface TranscriptRecord {
  type: string;
  subtype?: string;
  uuid?: string;
  parentUuid?: string | null;
  sessionId?: string;
  [field: string]: unknown;
}

export interface Conversation {
  sessionId: string;
  /** The real path claude ran in (what it writes as `cwd`). */
  cwd: string;
  configDir: string;
  /** `<config>/projects/<slug>/<sessionId>.jsonl` */
  transcriptPath: string;
  /** The first prompt, as typed. */
  prompt: string;
}

interface ClaudeHome {
  configDir: string;
  cwd: string;
  env: Record<string, string>;
}

/**
 * The claude config dir under `root`, made once, then trusted for each further cwd. Claude's
 * runtime socket and scratch files go under `root` too, so nothing is left in /tmp.
 */
function claudeHome(options: ScenarioOptions): ClaudeHome {
  const cwd = options.cwd ?? join(options.root, "project");
  mkdirSync(cwd, { recursive: true });
  const realCwd = realpathSync(cwd);
  const configDir = join(options.root, "claude-config");
  const claudeJsonPath = join(configDir, ".claude.json");
  const earlier = existsSync(claudeJsonPath) ? JSON.parse(readFileSync(claudeJsonPath, "utf8")) : undefined;
  const env = prepareClaudeEnv({ root: options.root, apiUrl: options.api.url, projectDir: realCwd });
  if (earlier !== undefined) {
    // prepareClaudeEnv writes a fresh .claude.json: keep what claude and earlier scenarios put there.
    const fresh = JSON.parse(readFileSync(claudeJsonPath, "utf8"));
    const merged = { ...earlier, projects: { ...earlier.projects, ...fresh.projects } };
    writeFileSync(claudeJsonPath, JSON.stringify(merged, null, 2));
  }
  const runtime = join(options.root, "run");
  const scratch = join(options.root, "tmp");
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  mkdirSync(scratch, { recursive: true });
  return { configDir, cwd: realCwd, env: { ...env, XDG_RUNTIME_DIR: runtime, CLAUDE_CODE_TMPDIR: scratch } };
}

/** Parses a transcript; a half-written last line (a killed writer) is skipped. */
export function readTranscript(path: string): TranscriptRecord[] {
  const records: TranscriptRecord[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as TranscriptRecord);
    } catch {
      // only the last line can be partial
    }
  }
  return records;
}

export function recordsOf(records: TranscriptRecord[], type: string, subtype?: string): TranscriptRecord[] {
  return records.filter((record) => record.type === type && (subtype === undefined || record.subtype === subtype));
}

/** Claude puts the transcript under a slug of the cwd; find it rather than re-derive the slug. */
function findTranscript(configDir: string, sessionId: string): string | undefined {
  const projects = join(configDir, "projects");
  if (!existsSync(projects)) return undefined;
  for (const slug of readdirSync(projects)) {
    const path = join(projects, slug, `${sessionId}.jsonl`);
    if (existsSync(path)) return path;
  }
  return undefined;
}

async function runPrint(home: ClaudeHome, args: string[]): Promise<string> {
  const child = Bun.spawn([CLAUDE_BIN, "-p", ...args], { cwd: home.cwd, env: home.env, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), WAIT_MS);
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`claude -p ${args.join(" ")} exited ${code}: ${stderr.trim() || stdout.trim()}`);
  return stdout;
}

async function startPrintConversation(options: ScenarioOptions, prompt: string, extraArgs: string[] = []) {
  const home = claudeHome(options);
  const sessionId = crypto.randomUUID();
  await runPrint(home, [prompt, "--session-id", sessionId, ...extraArgs]);
  const transcriptPath = findTranscript(home.configDir, sessionId);
  if (transcriptPath === undefined) throw new Error(`claude wrote no transcript for ${sessionId} under ${home.configDir}`);
  const conversation: Conversation = { sessionId, cwd: home.cwd, configDir: home.configDir, transcriptPath, prompt };
  return { home, conversation };
}

export interface PrintSession extends Conversation {
  toolUseId: string;
  command: string;
  toolOutput: string;
  reply: string;
}

/** Scenario 1: `claude -p` with one allowed Bash call and a text reply. */
export async function makePrintSession(options: ScenarioOptions): Promise<PrintSession> {
  const prompt = "run the fixture command";
  const toolOutput = "fixture-tool-output";
  const command = `echo ${toolOutput}`;
  const toolUseId = `toolu_print_${crypto.randomUUID().slice(0, 8)}`;
  const reply = "The command printed fixture-tool-output.";
  options.api.reply(bashReply(command, { id: toolUseId }), textReply(reply));
  const { conversation } = await startPrintConversation(options, prompt, ["--allowedTools", "Bash(echo *)"]);
  return { ...conversation, toolUseId, command, toolOutput, reply };
}

export interface RenamedSession extends Conversation {
  customTitle: string;
  /** `<config>/projects/<slug>/<sessionId>/custom-title.json`, `{"customTitle": …}` */
  customTitleJsonPath: string;
}

/** Scenario 2: a conversation, then `claude -p "/rename <title>" --resume <id>` (no API call). */
export async function makeRenamedSession(options: ScenarioOptions & { title?: string }): Promise<RenamedSession> {
  const customTitle = options.title ?? "my fixture title";
  options.api.reply(textReply("hello back"));
  const { home, conversation } = await startPrintConversation(options, "hello, this is the renamed one");
  const stdout = await runPrint(home, [`/rename ${customTitle}`, "--resume", conversation.sessionId]);
  if (!stdout.includes(customTitle)) throw new Error(`/rename printed ${JSON.stringify(stdout)}`);
  const customTitleJsonPath = join(conversation.transcriptPath.replace(/\.jsonl$/, ""), "custom-title.json");
  return { ...conversation, customTitle, customTitleJsonPath };
}

export interface CompactedSession extends Conversation {
  /** What the fake API answered the compaction request with, inside `<summary>`. */
  summary: string;
  promptAfter: string;
  replyAfter: string;
}

/**
 * Scenario 3: a conversation, `claude -p /compact --resume <id>`, and one more turn. The compact
 * reply needs a `<summary>` block: with plain text claude asks a second time.
 */
export async function makeCompactedSession(options: ScenarioOptions): Promise<CompactedSession> {
  const summary = "The user greeted the assistant before compaction.";
  const promptAfter = "what happened before?";
  const replyAfter = "We said hello before the compaction.";
  options.api.reply(textReply("hello before compaction"));
  const { home, conversation } = await startPrintConversation(options, "hello, this one gets compacted");
  options.api.reply(textReply(`<analysis>short</analysis>\n<summary>${summary}</summary>`));
  await runPrint(home, ["/compact", "--resume", conversation.sessionId]);
  options.api.reply(textReply(replyAfter));
  await runPrint(home, [promptAfter, "--resume", conversation.sessionId]);
  return { ...conversation, summary, promptAfter, replyAfter };
}

export interface SubagentSession extends Conversation {
  /** The `Agent` tool_use in the parent transcript. */
  toolUseId: string;
  agentId: string;
  agentType: string;
  description: string;
  agentPrompt: string;
  agentReply: string;
  reply: string;
  /** `<config>/projects/<slug>/<sessionId>/subagents/agent-<agentId>.jsonl` */
  subagentTranscriptPath: string;
  /** The same path with `.meta.json`. */
  subagentMetaPath: string;
}

/** Scenario 4: the model calls the `Agent` tool in the foreground; the sub-agent answers in text. */
export async function makeSubagentSession(options: ScenarioOptions): Promise<SubagentSession> {
  const toolUseId = `toolu_agent_${crypto.randomUUID().slice(0, 8)}`;
  const agentType = "general-purpose";
  const description = "Count the files";
  const agentPrompt = "Count the files in the project and report the number.";
  const agentReply = "There are no files.";
  const reply = "The sub-agent found no files.";
  const input = { description, prompt: agentPrompt, subagent_type: agentType, run_in_background: false };
  options.api.reply(toolUseReply([{ name: "Agent", input, id: toolUseId }]), textReply(agentReply), textReply(reply));
  const { conversation } = await startPrintConversation(options, "delegate the counting");
  const subagentsDir = join(conversation.transcriptPath.replace(/\.jsonl$/, ""), "subagents");
  const transcriptName = readdirSync(subagentsDir).find((name) => /^agent-.+\.jsonl$/.test(name));
  if (transcriptName === undefined) throw new Error(`no sub-agent transcript in ${subagentsDir}`);
  const agentId = transcriptName.slice("agent-".length, -".jsonl".length);
  return {
    ...conversation,
    toolUseId,
    agentId,
    agentType,
    description,
    agentPrompt,
    agentReply,
    reply,
    subagentTranscriptPath: join(subagentsDir, transcriptName),
    subagentMetaPath: join(subagentsDir, `agent-${agentId}.meta.json`),
  };
}

export interface KilledSession extends Conversation {
  /** The claude process that was killed (dead now). */
  pid: number;
  toolUseId: string;
  command: string;
  /** `<config>/sessions/<pid>.json`, left behind by the kill (stale). */
  sessionFilePath: string;
}

/** Scenario 5: SIGKILL claude while its Bash call runs, so the transcript ends inside the call. */
export async function makeKilledMidTool(options: ScenarioOptions): Promise<KilledSession> {
  const home = claudeHome(options);
  const sessionId = crypto.randomUUID();
  const prompt = "wait for half a minute";
  // 2.1.330 refuses a Bash command that starts with a long `sleep` ("Blocked: standalone sleep 30").
  const command = "echo waiting; sleep 30";
  const toolUseId = `toolu_killed_${crypto.randomUUID().slice(0, 8)}`;
  options.api.reply(bashReply(command, { id: toolUseId }));
  const child = Bun.spawn([CLAUDE_BIN, "-p", prompt, "--session-id", sessionId, "--allowedTools", "Bash"], {
    cwd: home.cwd,
    env: home.env,
    stdout: "ignore",
    stderr: "ignore",
  });
  let leftovers: number[] = [];
  try {
    const transcriptPath = await waitFor(
      () => {
        const path = findTranscript(home.configDir, sessionId);
        return path !== undefined && holdsToolUse(readTranscript(path), toolUseId) ? path : undefined;
      },
      { what: `the tool_use ${toolUseId} in the transcript`, timeoutMs: WAIT_MS },
    );
    leftovers = await waitFor(
      () => {
        const tree = descendants(child.pid);
        return tree.some((pid) => commandLine(pid) === "sleep 30") ? tree : undefined;
      },
      { what: "the Bash tool's `sleep 30` to start", timeoutMs: WAIT_MS },
    );
    child.kill("SIGKILL");
    await child.exited;
    const sessionFilePath = join(home.configDir, "sessions", `${child.pid}.json`);
    return { sessionId, cwd: home.cwd, configDir: home.configDir, transcriptPath, prompt, pid: child.pid, toolUseId, command, sessionFilePath };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      leftovers = descendants(child.pid);
      child.kill("SIGKILL");
    }
    await child.exited;
    // The shell and its sleep outlive claude; they are ours, so end them by pid.
    for (const pid of leftovers) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

function holdsToolUse(records: TranscriptRecord[], toolUseId: string): boolean {
  return recordsOf(records, "assistant").some((record) => {
    const content = (record.message as { content?: { type: string; id?: string }[] } | undefined)?.content;
    return Array.isArray(content) && content.some((block) => block.type === "tool_use" && block.id === toolUseId);
  });
}

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((task) => read(`/proc/${pid}/task/${task}/children`).split(/\s+/).filter(Boolean).map(Number));
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks after boot (what claude writes as procStart). */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** `<config>/sessions/<pid>.json` as 2.1.330 writes it (fields the index may use; more exist). */
export interface LiveSessionFile {
  pid: number;
  sessionId: string;
  cwd: string;
  startedAt: number;
  procStart: string;
  version: string;
  kind: string;
  entrypoint: string;
  name: string;
  nameSource: string;
  status: string;
  updatedAt: number;
  tmux?: string;
  messagingSocketPath?: string;
  [field: string]: unknown;
}

export interface LiveSession extends Conversation, AsyncDisposable {
  /** claude's pid (the tmux pane runs it directly); alive until `stop()`. */
  pid: number;
  /** Start time of `pid` from /proc, to compare with the session file's `procStart`. */
  procStart: string;
  sessionFilePath: string;
  /** The session file read while the turn ran (`status: "busy"`). */
  busySessionFile: LiveSessionFile;
  /** The session file read after the reply (`status: "idle"`). */
  idleSessionFile: LiveSessionFile;
  /** `<config>/history.jsonl`, which holds a line for the typed prompt. */
  historyPath: string;
  /** The title the fake API gave claude's title request; undefined with `aiTitle: false`. */
  aiTitle: string | undefined;
  reply: string;
  tmuxSocket: string;
  screen(): Promise<string>;
  /** Kills this session's tmux server; claude exits on the hangup and removes its session file. */
  stop(): Promise<void>;
}

const isTitleRequest = (request: MessagesRequest) =>
  JSON.stringify((request as { output_config?: unknown }).output_config ?? {}).includes('"title"');

/**
 * Scenario 6: claude's own screen in a private tmux server, one typed prompt, left running.
 * Claude asks the API for a session title (an `ai-title` record) only when
 * CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is unset, so this run unsets it unless `aiTitle: false`.
 * The title request is streamed and wants `{"title": …}` JSON.
 */
export async function startInteractiveSession(
  options: ScenarioOptions & { prompt?: string; aiTitle?: string | false },
): Promise<LiveSession> {
  const home = claudeHome(options);
  const sessionId = crypto.randomUUID();
  const prompt = options.prompt ?? "please explain how this project is built";
  const aiTitle = options.aiTitle === false ? undefined : (options.aiTitle ?? "Project build explanation");
  const reply = "It is built with a single script.";
  // Slow enough that the session file can be caught saying "busy".
  const answer = textReply(reply, { delayMs: 300, chunkChars: 8 });
  const env: Record<string, string> = { ...home.env, TERM: "xterm-256color", TMUX_TMPDIR: join(options.root, "tmux") };
  if (aiTitle === undefined) {
    options.api.reply(answer);
  } else {
    delete env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC;
    // The title request and the turn race: each queued reply decides which one it is answering.
    const route = (request: MessagesRequest) => (isTitleRequest(request) ? textReply(JSON.stringify({ title: aiTitle })) : answer);
    options.api.reply(route, route);
  }
  mkdirSync(env.TMUX_TMPDIR!, { recursive: true, mode: 0o700 });
  const tmuxSocket = `csm-transcripts-${process.pid}-${sessionId.slice(0, 8)}`;
  const tmux = async (...args: string[]) => {
    const child = Bun.spawn(["tmux", "-L", tmuxSocket, ...args], { env, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`tmux ${args.join(" ")}: ${stderr.trim()}`);
    return stdout;
  };
  const screen = () => tmux("capture-pane", "-p", "-t", "=claude:");
  const waitForScreen = (text: string, what: string) =>
    waitFor(async () => ((await screen()).includes(text) ? true : undefined), { what, timeoutMs: WAIT_MS });

  // The server takes `env` from this client; the pane inherits it.
  const claudeArgs = [CLAUDE_BIN, "--session-id", sessionId, "--permission-mode", "default"];
  await tmux("-f", "/dev/null", "new-session", "-d", "-s", "claude", "-x", "120", "-y", "40", "-c", home.cwd, "--", ...claudeArgs);
  let pid = 0;
  const stop = async () => {
    await tmux("kill-server").catch(() => undefined);
    if (pid === 0) return;
    const exited = await waitFor(() => !existsSync(`/proc/${pid}`), { what: `claude ${pid} to exit`, timeoutMs: 10_000 }).catch(() => false);
    if (!exited) process.kill(pid, "SIGKILL");
  };
  try {
    pid = Number((await tmux("display-message", "-p", "-t", "=claude:", "#{pane_pid}")).trim());
    const procStart = processStartTicks(pid) ?? "";
    await waitForScreen("? for shortcuts", "claude's prompt box");
    await tmux("send-keys", "-t", "=claude:", "-l", prompt);
    await waitForScreen(prompt, "the typed prompt on claude's screen");
    await tmux("send-keys", "-t", "=claude:", "Enter");

    const sessionFilePath = join(home.configDir, "sessions", `${pid}.json`);
    const readSessionFile = () => JSON.parse(readFileSync(sessionFilePath, "utf8")) as LiveSessionFile;
    const busySessionFile = await waitFor(
      () => {
        const file = readSessionFile();
        return file.status === "busy" ? file : undefined;
      },
      { what: `${sessionFilePath} to say busy`, timeoutMs: WAIT_MS, intervalMs: 20 },
    );
    const transcriptPath = await waitFor(
      () => {
        const path = findTranscript(home.configDir, sessionId);
        if (path === undefined) return undefined;
        const records = readTranscript(path);
        const replied = recordsOf(records, "system", "turn_duration").length > 0;
        const titled = aiTitle === undefined || recordsOf(records, "ai-title").length > 0;
        return replied && titled ? path : undefined;
      },
      { what: `the reply${aiTitle ? " and the ai-title" : ""} in the transcript of ${sessionId}`, timeoutMs: WAIT_MS },
    );
    const idleSessionFile = await waitFor(
      () => {
        const file = readSessionFile();
        return file.status === "idle" ? file : undefined;
      },
      { what: `${sessionFilePath} to say idle`, timeoutMs: WAIT_MS },
    );
    const historyPath = join(home.configDir, "history.jsonl");
    await waitFor(() => existsSync(historyPath) && readFileSync(historyPath, "utf8").includes(sessionId), {
      what: `a line for ${sessionId} in ${historyPath}`,
      timeoutMs: WAIT_MS,
    });
    return {
      sessionId,
      cwd: home.cwd,
      configDir: home.configDir,
      transcriptPath,
      prompt,
      pid,
      procStart,
      sessionFilePath,
      busySessionFile,
      idleSessionFile,
      historyPath,
      aiTitle,
      reply,
      tmuxSocket,
      screen,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    const last = await screen().catch(() => "(no screen)");
    await stop();
    throw new Error(`${(error as Error).message}\n--- claude's screen ---\n${last}`);
  }
}
