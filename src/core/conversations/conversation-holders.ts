import { ownPidDomain, processStartOf, readClaudeProcessFiles } from "../../adapters/claude-files.ts";
import type { SessionRecord } from "../../store/sessions.ts";
import { NOT_HELD, type Holder } from "./conversation-record.ts";

// Who holds a conversation right now. A csm session that runs it wins; otherwise a claude
// process that says so in `<config>/sessions/<pid>.json` and is still that process: pids
// are reused, so the pid must be alive with the start time the file recorded. A claude in
// another PID namespace (a container sharing the config dir) cannot be checked from here:
// it holds the conversation until its file goes, since two writers ruin a transcript.

export type ProcessStart = (pid: number) => string | undefined;

export function findHolders(configDir: string, sessions: readonly SessionRecord[], startOf: ProcessStart = processStartOf, pidDomainHere: string = ownPidDomain()): Map<string, Holder> {
  const holders = new Map<string, Holder>();
  for (const file of readClaudeProcessFiles(configDir)) {
    const elsewhere = file.pidDomain !== undefined && file.pidDomain !== pidDomainHere;
    if (!elsewhere && !isSameProcess(file.pid, file.procStart, startOf)) continue;
    // A proven holder here wins over an unprovable one elsewhere for the same conversation.
    if (elsewhere && holders.has(file.sessionId)) continue;
    holders.set(file.sessionId, { state: "live", session: null, pid: file.pid, pidElsewhere: elsewhere });
  }
  for (const session of sessions) {
    if (session.claudeSessionId) holders.set(session.claudeSessionId, { state: "csm", session: session.name, pid: null, pidElsewhere: false });
  }
  return holders;
}

export const holderOf = (holders: Map<string, Holder>, id: string): Holder => holders.get(id) ?? NOT_HELD;

function isSameProcess(pid: number, recorded: string | undefined, startOf: ProcessStart): boolean {
  const now = startOf(pid);
  if (now !== undefined) return recorded === undefined || recorded === now;
  // No /proc (macOS): the best evidence without spawning ps is that the pid exists.
  if (process.platform === "linux") return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
