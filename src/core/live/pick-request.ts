import { CsmError } from "../../shared/errors.ts";

// Which pending request `csm approve NAME [ID]` means: the id (or a unique prefix of it);
// with no id, the only one; with several, none is guessed.

export interface PendingRef {
  requestId: string;
  toolName: string;
  summary: string;
}

export function pickRequest<T extends PendingRef>(session: string, pending: T[], id?: string): T {
  if (pending.length === 0) throw new CsmError("NothingPending", `${session} has no pending requests (see \`csm pending\`)`, { data: { session } });
  const list = () => pending.map((p) => `  ${p.requestId}  ${p.toolName} ${p.summary}`).join("\n");
  if (id === undefined) {
    if (pending.length === 1) return pending[0]!;
    throw new CsmError("SeveralPending", `${session} has ${pending.length} pending requests; name one:\n${list()}`, {
      data: { session, requestIds: pending.map((p) => p.requestId) },
    });
  }
  const exact = pending.find((p) => p.requestId === id);
  if (exact) return exact;
  const matches = pending.filter((p) => p.requestId.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new CsmError("AmbiguousRequest", `${JSON.stringify(id)} matches ${matches.length} requests of ${session}:\n${list()}`);
  throw new CsmError("NotPending", `${session} has no pending request ${JSON.stringify(id)}; pending:\n${list()}`, { data: { session, requestId: id } });
}
