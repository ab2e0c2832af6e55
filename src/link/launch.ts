import { fileURLToPath } from "node:url";

// The one place that decides how claude is started in a session's agent window. Until
// the live link lands, the pane runs `csm run-agent SPEC`, which starts claude with the
// environment of the `csm create` that made the session. The spec travels in a 0600
// file, not in argv, so API keys never show in a process list; the file is deleted as
// soon as it is read.

export interface LaunchSpec {
  host: string;
  session: string;
  cwd: string;
  argv: string[];
  env: Record<string, string>;
}

const CSM_ENTRY = fileURLToPath(new URL("../../bin/csm", import.meta.url));

/** claude's argv: configured extra arguments, then the first prompt as one operand after `--`. */
export function claudeArgv(claudeBin: string, extraArgs: readonly string[], prompt?: string): string[] {
  const argv = [claudeBin, ...extraArgs];
  if (prompt !== undefined && prompt !== "") argv.push("--", prompt);
  return argv;
}

/** What the agent window runs: this very csm, under this very bun, whatever PATH says. */
export function agentPaneArgv(specFile: string): string[] {
  return [process.execPath, CSM_ENTRY, "run-agent", specFile];
}

/** Variables that belong to the terminal csm was started from, not to the session's own pane. */
const TERMINAL_ONLY = new Set(["TMUX", "TMUX_PANE", "TERM_SESSION_ID", "WINDOWID", "COLUMNS", "LINES", "OLDPWD", "PWD", "_"]);

export function sessionEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !TERMINAL_ONLY.has(key)) result[key] = value;
  }
  return result;
}
