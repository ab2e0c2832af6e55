import type { HostRegistry } from "../hosts/host-registry.ts";
import { runRemoteCsm } from "../hosts/remote-csm.ts";

// A question about conversations put to several hosts at once: this host answers from its
// own index, every SSH host from its own csm (one remote command, `--host local --json`),
// all in parallel. A host that cannot be reached is reported with the reason while the
// others' answers are used: an unreachable host fails at connect (ssh connect timeout);
// a reachable one may need longer when its index is cold, so the command itself gets more.

export const REMOTE_QUERY_TIMEOUT_MS = 60_000;

export interface HostAnswer<T> {
  host: string;
  items: T[];
  /** Why this host gave no answer. */
  error: string | null;
}

export async function askHosts<T extends { host: string }>(
  registry: HostRegistry,
  hosts: readonly string[],
  local: () => T[],
  remoteArgs: readonly string[],
): Promise<HostAnswer<T>[]> {
  return Promise.all(
    hosts.map(async (name): Promise<HostAnswer<T>> => {
      try {
        if (name === "local") return { host: name, items: local(), error: null };
        const host = await registry.get(name);
        if (!host) return { host: name, items: [], error: "not a configured host" };
        // The flags right after the command word: remoteArgs may end with `-- WORDS`.
        const [command, ...rest] = remoteArgs;
        const result = await runRemoteCsm(host, [command!, "--host", "local", "--json", ...rest], REMOTE_QUERY_TIMEOUT_MS);
        // `csm search` exits 1 when nothing matched, as grep does: an answer, not a failure.
        const answered = result.code === 0 || (result.code === 1 && result.stderr.trim() === "" && result.stdout.trimStart().startsWith("["));
        if (!answered) return { host: name, items: [], error: result.stderr.trim().split("\n")[0] || `csm exited ${result.code}` };
        // A list, or one answer (`gc --apply` says what it moved): a list of one.
        const parsed = JSON.parse(result.stdout) as T[] | T;
        const items = Array.isArray(parsed) ? parsed : [parsed];
        return { host: name, items: items.map((item) => ({ ...item, host: name })), error: null };
      } catch (error) {
        return { host: name, items: [], error: (error as Error).message.split("\n")[0]! };
      }
    }),
  );
}
