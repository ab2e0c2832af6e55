import type { Transport } from "../core/live/live-state.ts";
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
}

export function claudeArgv(options: ClaudeArgvOptions): string[] {
  const session = options.resume ? ["--resume", options.claudeSessionId] : ["--session-id", options.claudeSessionId];
  const link = options.transport === "bridge" ? STREAM_JSON_ARGS : ["--sdk-url", options.agentUrl, "--verbose"];
  return [options.claudeBin, ...link, ...session, ...options.extraArgs];
}

/** What the agent window runs: this very csm, under this very bun, whatever PATH says. */
export function agentPaneArgv(transport: Transport, session: string): string[] {
  return csmSelfArgv(transport === "bridge" ? "bridge" : "run-agent", session);
}

export const agentSocketUrl = (port: number, session: string) => `ws://127.0.0.1:${port}/ws/agent/${session}`;

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
