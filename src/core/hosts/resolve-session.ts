import { CsmError } from "../../shared/errors.ts";

// Which session a name on the command line means, across every host: the exact name, or
// else a unique prefix of a name or of claude's session id. Several matches are listed,
// and nothing is done.

export interface SessionRef {
  name: string;
  host: string;
  claudeSessionId?: string | null;
}

export function resolveSession<T extends SessionRef>(sessions: T[], query: string, host?: string): T {
  const candidates = host === undefined ? sessions : sessions.filter((s) => s.host === host);
  const where = host === undefined ? "on any host" : `on ${host}`;
  const pick = (matches: T[], how: string): T | null => {
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) return null;
    const list = matches.map((s) => `  ${s.name}@${s.host}`).join("\n");
    throw new CsmError("AmbiguousSession", `${JSON.stringify(query)} ${how} ${matches.length} sessions; say which (NAME@HOST, or more of the name):\n${list}`, {
      data: { query, candidates: matches.map((s) => `${s.name}@${s.host}`) },
    });
  };
  return (
    pick(candidates.filter((s) => s.name === query), "names") ??
    pick(candidates.filter((s) => s.name.startsWith(query) || (query.length >= 4 && s.claudeSessionId?.startsWith(query))), "starts") ??
    (() => {
      throw new CsmError("NotFound", `no session ${JSON.stringify(query)} ${where} (see \`csm list\`)`, { data: { query } });
    })()
  );
}
