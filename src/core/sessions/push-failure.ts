// Why git refused a push, in one line a person can act on. git's own output spreads the
// reason over hints and several `fatal:` lines; this picks the line that says it.

export type PushFailureKind = "non-fast-forward" | "rejected" | "remote-rejected" | "auth" | "unreachable" | "other";

export interface PushFailure {
  kind: PushFailureKind;
  /** One line, without a trailing period. */
  reason: string;
}

const AUTH = /permission denied|authentication failed|could not read (username|password)|host key verification failed|access denied|\b403\b|unauthorized/i;
const UNREACHABLE = /could not resolve host|connection (refused|timed out|reset)|network is unreachable|no route to host|does not appear to be a git repository|repository not found|not found/i;

/** Reads `git push` stderr (LC_ALL as the user has it; git's porcelain words are not translated). */
export function explainPushFailure(stderr: string, remote: string, branch: string): PushFailure {
  const lines = stderr.split("\n").map((line) => line.replace(/^remote:\s*/, "").trim()).filter((line) => line !== "" && !line.startsWith("hint:"));
  // ` ! [rejected]  main -> main (fetch first)`: git's own check; `[remote rejected]`: the remote's (a hook, a protected branch).
  const rejected = /! \[(remote )?rejected\][^\n]*\(([^)\n]+)\)/.exec(stderr);
  if (rejected && /non-fast-forward|fetch first/.test(rejected[2]!)) {
    return { kind: "non-fast-forward", reason: `${remote} has commits on ${branch} that this branch lacks (non-fast-forward): merge or rebase them in first` };
  }
  if (rejected) return { kind: rejected[1] ? "remote-rejected" : "rejected", reason: `${remote} refused ${branch}: ${rejected[2]}` };
  const auth = lines.find((line) => AUTH.test(line));
  if (auth) return { kind: "auth", reason: `not allowed to push to ${remote} (authentication or permission): ${stripPrefix(auth)}` };
  const unreachable = lines.find((line) => UNREACHABLE.test(line));
  if (unreachable) return { kind: "unreachable", reason: `${remote} cannot be reached: ${stripPrefix(unreachable)}` };
  const fatal = lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1) ?? "git push failed";
  return { kind: "other", reason: stripPrefix(fatal) };
}

const stripPrefix = (line: string) => line.replace(/^(fatal|error|ERROR):\s*/, "").replace(/\.$/, "");
