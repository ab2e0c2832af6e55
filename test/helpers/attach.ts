import { CSM_ENTRY, type Sandbox } from "./sandbox.ts";

// `csm attach` needs a terminal. These helpers give it one the way a person would have:
// a pane of a tmux server, watched from outside through `list-clients`.

/** The shell command a pane types or runs to start csm; stderr goes to a file for diagnosis. */
export function csmCommandLine(sandbox: Sandbox, args: string[], stderrFile: string): string {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  return [process.execPath, CSM_ENTRY, ...args].map(quote).join(" ") + ` 2>>${quote(stderrFile)}`;
}

/** "session:window" of every client attached to the sandbox's tmux server. */
export async function attachedClients(sandbox: Sandbox): Promise<string[]> {
  const result = await sandbox.tmux(["list-clients", "-F", "#{client_session}:#{window_name}"]);
  return result.code === 0 ? result.stdout.split("\n").filter(Boolean) : [];
}
