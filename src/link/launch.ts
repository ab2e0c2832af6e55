import type { Transport } from "./transport.ts";
import { csmSelfArgv } from "../shared/self.ts";

// The one place that decides how claude is started in a session's agent window. The
// pane runs this very csm (`csm bridge NAME` or `csm run-agent NAME`), which reads the
// launch spec: a 0600 file holding the environment of the `csm create` that made the
// session and the agent socket's secret, deleted as soon as it is read, so neither shows
// in a process list.

export interface LaunchSpec {
  host: string;
  session: string;
  cwd: string;
  transport: Transport;
  /** claude and its arguments (for sdk-url including --sdk-url). */
  argv: string[];
  env: Record<string, string>;
  /** The first prompt: the bridge sends it itself, so it cannot be lost on the way. */
  prompt?: string;
  /** ws://127.0.0.1:PORT/ws/agent/NAME */
  agentUrl: string;
  secret: string;
  /** Given to claude as `--settings`; the bridge writes it with its own hook endpoint before claude starts. */
  hookSettingsFile: string;
  /** `--settings` values from claudeArgs: claude honours only one --settings, so they are merged into csm's file. */
  userSettings: string[];
  /**
   * Where the bridge keeps what it shows in the pane, capped (the archive's pane log). The
   * bridge draws the whole pane, so it writes the log itself: no process per session.
   */
  paneLog?: string;
}

export const STREAM_JSON_ARGS = [
  "-p",
  "--input-format",
  "stream-json",
  "--output-format",
  "stream-json",
  "--verbose",
  "--permission-prompt-tool",
  "stdio",
  "--include-partial-messages",
];

export interface ClaudeArgvOptions {
  claudeBin: string;
  extraArgs: readonly string[];
  transport: Transport;
  /** A new session gets --session-id; a reconnect resumes the old one. */
  claudeSessionId: string;
  resume: boolean;
  agentUrl: string;
  /** csm's hooks (see hook-settings.ts); claude merges them with the user's own settings. */
  hookSettingsFile: string;
}

export function claudeArgv(options: ClaudeArgvOptions): string[] {
  const session = options.resume ? ["--resume", options.claudeSessionId] : ["--session-id", options.claudeSessionId];
  const { args } = withoutSettingsArgs(options.extraArgs);
  if (options.transport === "native") {
    // claude's own "auto mode" asks no one (and fires no PermissionRequest hook): csm starts
    // it in manual mode, so its rules and its people decide, unless the user chose a mode.
    const manual = args.some((arg) => arg === "--permission-mode" || arg.startsWith("--permission-mode=") || arg === "--dangerously-skip-permissions") ? [] : ["--permission-mode", "default"];
    return [options.claudeBin, ...session, "--settings", options.hookSettingsFile, ...manual, ...args];
  }
  const link = options.transport === "bridge" ? STREAM_JSON_ARGS : ["--sdk-url", options.agentUrl, "--verbose"];
  return [options.claudeBin, ...link, ...session, "--settings", options.hookSettingsFile, ...args];
}

/** The conversation claude's argv starts: its `--session-id` or `--resume` argument ("" when neither). */
export function conversationIdOf(argv: readonly string[]): string {
  const at = argv.findIndex((arg) => arg === "--session-id" || arg === "--resume");
  return at >= 0 ? (argv[at + 1] ?? "") : "";
}

/**
 * Takes `--settings X` and `--settings=X` out of the user's claudeArgs: a second
 * --settings would replace csm's (and with it the hook that enforces deny rules), so the
 * user's settings are merged into csm's file instead.
 */
export function withoutSettingsArgs(extraArgs: readonly string[]): { args: string[]; settings: string[] } {
  const args: string[] = [];
  const settings: string[] = [];
  for (let i = 0; i < extraArgs.length; i++) {
    const arg = extraArgs[i]!;
    if (arg === "--settings" && i + 1 < extraArgs.length) settings.push(extraArgs[++i]!);
    else if (arg.startsWith("--settings=")) settings.push(arg.slice("--settings=".length));
    else args.push(arg);
  }
  return { args, settings };
}

/** What the agent window runs: this very csm, under this very bun, whatever PATH says. */
export function agentPaneArgv(transport: Transport, session: string): string[] {
  return csmSelfArgv(transport === "bridge" ? "bridge" : transport === "native" ? "native" : "run-agent", session);
}

export const agentSocketUrl = (port: number, session: string) => `ws://127.0.0.1:${port}/ws/agent/${session}`;

/** The hub's PreToolUse hook for a session, next to its agent socket. */
export const hubHookUrl = (agentUrl: string) => agentUrl.replace(/^ws:/, "http:").replace("/ws/agent/", "/hooks/") + "/pre-tool-use";

/** sdk-url: claude sends this variable's value as its bearer to the hub (socket and hooks). */
export const SDK_URL_SECRET_VARIABLE = "CLAUDE_CODE_SESSION_ACCESS_TOKEN";

/** Variables that belong to the terminal csm was started from, not to the session's own pane. */
const TERMINAL_ONLY = new Set(["TMUX", "TMUX_PANE", "TERM_SESSION_ID", "WINDOWID", "COLUMNS", "LINES", "OLDPWD", "PWD", "_"]);

export function sessionEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !TERMINAL_ONLY.has(key)) result[key] = value;
  }
  return result;
}

export function newSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
}
