import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CSM_ENTRY, type Sandbox } from "./sandbox.ts";

// A csm hub in the foreground for one sandbox, and an HTTP client for its API.

export interface TestHub extends AsyncDisposable {
  port: number;
  pid: number;
  token(): string;
  url(path: string): string;
  /** With the token unless `headers.authorization` says otherwise. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startTestHub(sb: Sandbox, args: string[] = []): Promise<TestHub> {
  const child = Bun.spawn(["bun", CSM_ENTRY, "server", ...args], { env: sb.env, stdout: "pipe", stderr: "pipe" });
  let stderr = "";
  void (async () => {
    for await (const chunk of child.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  const first = await child.stdout.getReader().read();
  const line = new TextDecoder().decode(first.value ?? new Uint8Array());
  const match = /listening on ([^:\s]+):(\d+)/.exec(line);
  if (!match) throw new Error(`the hub did not start: ${line}${stderr}`);
  const host = match[1]!;
  const port = Number(match[2]);
  const token = () => readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  const url = (path: string) => `http://${host}:${port}${path}`;
  const stop = async () => {
    child.kill();
    await child.exited;
  };
  return {
    port,
    pid: child.pid,
    token,
    url,
    fetch: (path, init = {}) => fetch(url(path), { ...init, headers: { authorization: `Bearer ${token()}`, ...(init.headers as Record<string, string> | undefined) } }),
    stderr: () => stderr,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
