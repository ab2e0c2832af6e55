import { CSM_ENTRY, type Sandbox } from "./sandbox.ts";

// `csm attach` needs a terminal. These helpers give it one the way a person would have:
// a pane of a tmux server, watched from outside through `list-clients`.

/** The shell command a pane types or runs to start csm; stderr goes to a file for diagnosis. */
export function csmCommandLine(sandbox: Sandbox, args: string[], stderrFile: string): string {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  return [process.execPath, CSM_ENTRY, ...args].map(quote).join(" ") + ` 2>>${quote(stderrFile)}`;
}

/**
 * `list-clients -F` for the clients a person would have: the hub's own control client
 * (attached to one of csm's sessions so it can query tmux) is left out.
 */
export const PERSON_CLIENTS_FORMAT = "#{?client_control_mode,,#{client_session}:#{window_name}}";

/** "session:window" of every client a person has attached to the sandbox's tmux server. */
export async function attachedClients(sandbox: Sandbox): Promise<string[]> {
  const result = await sandbox.tmux(["list-clients", "-F", PERSON_CLIENTS_FORMAT]);
  return result.code === 0 ? result.stdout.split("\n").filter(Boolean) : [];
}
