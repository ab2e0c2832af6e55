import type { RunResult } from "../../host/runner.ts";
import { CsmError } from "../../shared/errors.ts";
import type { KnownHost } from "./host-registry.ts";

// csm on another host is driven by running csm there: one remote command per operation
// (argv, quoted by the one quoting function), so the remote csm keeps its own hub,
// store and rules, and csm stays one program.

export const REMOTE_TIMEOUT_MS = 5000;

export class RemoteCsmMissing extends CsmError {
  constructor(host: string, csm: string) {
    super("RemoteCsmMissing", `csm is not installed on ${host} (looked for ${JSON.stringify(csm)}; set hosts.${host}.csmPath)`, { data: { host } });
  }
}

export async function runRemoteCsm(host: KnownHost, args: readonly string[], timeoutMs = REMOTE_TIMEOUT_MS): Promise<RunResult> {
  const result = await withTimeout(host.runner.run([host.csm, ...args]), timeoutMs, host.name);
  // 127: the shell found no such program.
  if (result.code === 127) throw new RemoteCsmMissing(host.name, host.csm);
  return result;
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number, host: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CsmError("HostUnreachable", `${host} did not answer within ${timeoutMs / 1000} s`, { data: { host } })), timeoutMs);
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
