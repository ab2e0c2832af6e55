import type { CreateRequest } from "../core/sessions/create.ts";
import type { SessionView } from "../core/sessions/session-view.ts";
import { HostRegistry } from "../core/hosts/host-registry.ts";
import { runRemoteCsm } from "../core/hosts/remote-csm.ts";
import type { Context } from "../core/context.ts";
import { httpError } from "./http.ts";

// POST /api/sessions with an SSH host: that host's own csm makes the session (worktree,
// tmux, claude, hooks pointing at its own hub), as `csm create --host H` does from the CLI.
// Every value goes as one `--flag=value` argument, quoted for the remote shell by the one
// quoting function, so a prompt that looks like a flag or holds shell syntax stays text.

/** A create runs git, a setup script and claude's start there: more than a query's time. */
const REMOTE_CREATE_TIMEOUT_MS = 120_000;

export type RemoteCreateRequest = Pick<CreateRequest, "name" | "repo" | "base" | "branch" | "pr" | "remote" | "prompt" | "mode">;

export function remoteCreateArgs(request: RemoteCreateRequest, defaultRepo: string | undefined): string[] {
  const flags: [string, string | number | undefined][] = [
    ["repo", request.repo ?? defaultRepo],
    ["base", request.base],
    ["branch", request.branch],
    ["pr", request.pr],
    ["remote", request.remote],
    ["prompt", request.prompt],
    ["mode", request.mode],
  ];
  return ["create", request.name, "--host", "local", "--json", ...flags.filter(([, value]) => value !== undefined).map(([flag, value]) => `--${flag}=${value}`)];
}

export async function createOnHost(ctx: Context, host: string, request: RemoteCreateRequest): Promise<SessionView> {
  const registry = new HostRegistry(ctx);
  try {
    const known = await registry.get(host);
    if (!known) throw httpError("BadField", `unknown host ${JSON.stringify(host)} (see GET /api/hosts)`, { field: "host" });
    const result = await runRemoteCsm(known, remoteCreateArgs(request, known.config?.defaultRepo), REMOTE_CREATE_TIMEOUT_MS);
    if (result.code !== 0) {
      // The remote csm said why, in one line ("csm: …"); its exit code says whose fault it was.
      const reason = result.stderr.trim().split("\n")[0]?.replace(/^csm: /, "") || `csm exited ${result.code}`;
      throw httpError(result.code === 2 ? "UsageError" : "RemoteRefused", `${host}: ${reason}`, { host });
    }
    return { ...(JSON.parse(result.stdout) as SessionView), host };
  } finally {
    registry.close();
  }
}
