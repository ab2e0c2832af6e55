import type { KnownHost } from "./host-registry.ts";
import { withTimeout, REMOTE_TIMEOUT_MS } from "./remote-csm.ts";

// `csm hosts`: is each host there, how fast does it answer, and which tmux, git, claude
// and csm does it have. The version queries share the host's one connection.

export interface HostCheck {
  name: string;
  kind: "local" | "ssh";
  address: string;
  reachable: boolean;
  latencyMs: number | null;
  error: string | null;
  versions: { tmux: string | null; git: string | null; claude: string | null; csm: string | null };
}

const firstLine = (text: string) => text.trim().split("\n")[0] || null;

export async function checkHost(host: KnownHost): Promise<HostCheck> {
  const address = host.config ? `${host.config.user ? `${host.config.user}@` : ""}${host.config.host}:${host.config.port ?? 22}` : "this machine";
  const base = { name: host.name, kind: host.kind, address };
  const version = async (argv: string[]) => {
    const result = await host.runner.run(argv, { timeoutMs: REMOTE_TIMEOUT_MS }).catch(() => null);
    return result && result.code === 0 ? firstLine(result.stdout) : null;
  };
  try {
    const started = performance.now();
    await withTimeout(host.runner.run(["true"]), REMOTE_TIMEOUT_MS, host.name);
    const latencyMs = Math.round(performance.now() - started);
    const claude = host.config?.env?.CSM_CLAUDE_BIN ?? "claude";
    const [tmux, git, claudeVersion, csm] = await Promise.all([
      version(["tmux", "-V"]),
      version(["git", "--version"]),
      version([claude, "--version"]),
      host.kind === "local" ? Promise.resolve(null) : version([host.csm, "--version"]),
    ]);
    return { ...base, reachable: true, latencyMs, error: null, versions: { tmux, git, claude: claudeVersion, csm } };
  } catch (error) {
    return { ...base, reachable: false, latencyMs: null, error: (error as Error).message.split("\n")[0]!, versions: { tmux: null, git: null, claude: null, csm: null } };
  }
}
