import type { Sandbox } from "./sandbox.ts";

/** `csm ARGS --json` in the sandbox, expected to succeed, its output parsed. */
export function csmJsonIn(sb: Pick<Sandbox, "csm">, env?: Record<string, string>) {
  return async <T>(args: string[]): Promise<T> => {
    const result = await sb.csm([...args, "--json"], env ? { env } : undefined);
    if (result.code !== 0) throw new Error(`csm ${args.join(" ")}: exit ${result.code} ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
}
