import type { Context } from "../core/context.ts";
import { isErrorName } from "../shared/error-kinds.ts";
import { CsmError } from "../shared/errors.ts";
import { liveHubInfo, type HubInfo } from "./hub-files.ts";

// How the CLI and the TUI talk to the hub: find it through <state>/hub.json and call its
// API with the token. Starting a hub is in hub-start.ts: `csm list` never starts one, and
// loads only this.

/** A session's API path: it is (host, name) everywhere; `local` is this machine. */
export const sessionPath = (host: string, name: string, rest = "") => `/api/sessions/${encodeURIComponent(host)}/${encodeURIComponent(name)}${rest}`;

/** How long a GET waits for the hub before it says the hub does not answer. */
const LOOK_TIMEOUT_MS = 30_000;

export class HubClient {
  constructor(
    readonly info: HubInfo,
    private readonly token: string,
    private readonly lookTimeoutMs = LOOK_TIMEOUT_MS,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.info.port}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A hub that is stuck (stopped, swapping) answers nothing: a look gives up, and says so.
        // A change may take long (a setup script, a merge) and is waited for.
        signal: method === "GET" ? AbortSignal.timeout(this.lookTimeoutMs) : undefined,
      });
    } catch (error) {
      const { message, code, name } = error as Error & { code?: string };
      if (name === "TimeoutError") {
        throw new CsmError("HubNotAnswering", `the csm hub on port ${this.info.port} did not answer within ${this.lookTimeoutMs / 1000} s; it may be stuck (see \`csm server status\`, ${"`csm server stop`"})`);
      }
      // Connected, asked, then lost: a change the hub made before it went is not undone.
      if (method !== "GET" && code !== "ConnectionRefused" && code !== "ECONNREFUSED") {
        throw new CsmError("HubUnreachable", `the csm hub on port ${this.info.port} went away before it answered (${message}): what was asked may have been done; look (\`csm list\`, \`csm logs\`) before asking again`);
      }
      throw new CsmError("HubUnreachable", `cannot reach the csm hub on port ${this.info.port}: ${message} (see \`csm server status\`)`);
    }
    const payload = (await response.json().catch(() => null)) as { error?: { name: string; message: string; data?: Record<string, unknown> } } | null;
    if (!response.ok) {
      const error = payload?.error;
      // The same failure as at the hub, with its declared exit code; a name this csm does not know stays readable.
      throw new CsmError(isErrorName(error?.name) ? error.name : "HubError", error?.message ?? `hub answered ${response.status}`, { data: { ...(error?.data ?? {}), status: response.status } });
    }
    return payload as T;
  }

  /** Passes a request on as it is (the local hub does this for a remote session). */
  forward(method: string, pathAndQuery: string, body: string | null, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json", ...headers },
      body: method === "GET" || method === "HEAD" ? undefined : (body ?? undefined),
    });
  }

  /** The raw response, for event streams. */
  stream(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}`, ...headers }, signal });
  }
}

/** The running hub, or null. */
export function findHub(ctx: Context): Promise<HubClient | null> {
  return findHubAt(ctx.settings.paths);
}

/** The same from the paths alone, for `csm list`, which builds no context when the hub answers. */
export async function findHubAt(paths: { stateDir: string; configDir: string }): Promise<HubClient | null> {
  const info = await liveHubInfo(paths.stateDir);
  if (!info) return null;
  // Bun.file, not token.ts's node:fs: `csm list` passes here on every run.
  const token = (await Bun.file(`${paths.configDir}/token`).text().catch(() => "")).trim();
  if (!token) return null;
  return new HubClient(info, token);
}
