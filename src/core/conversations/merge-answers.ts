// Merging conversation answers from several hosts, the same for the CLI and the API.

/** Newest first by the last record's time; conversations with none last. */
export const newestFirst = <T extends { lastActiveAt: string | null }>(records: T[]): T[] =>
  [...records].sort((a, b) => (b.lastActiveAt ?? "").localeCompare(a.lastActiveAt ?? ""));

/** Hosts' ranked lists merged by rank position (ranks of two hosts are not comparable): each host's best first. */
export function interleave<T>(lists: T[][], limit: number): T[] {
  const merged: T[] = [];
  for (let position = 0; merged.length < limit && lists.some((list) => position < list.length); position++) {
    for (const list of lists) if (position < list.length && merged.length < limit) merged.push(list[position]!);
  }
  return merged;
}

/** A search's hits merged across hosts, `host` telling the lists apart. */
export function interleaveByHost<T extends { host: string }>(hits: T[], limit: number): T[] {
  const byHost = new Map<string, T[]>();
  for (const hit of hits) byHost.set(hit.host, [...(byHost.get(hit.host) ?? []), hit]);
  return interleave([...byHost.values()], limit);
}
