import type { HostConfig } from "../../config/schema.ts";
import type { Runner } from "../../host/runner.ts";
import type { SshHost } from "../../host/ssh.ts";
import type { Context } from "../context.ts";

// Every host csm knows: this machine, and the SSH hosts of the config, each with the
// Runner that reaches it (one pooled connection per SSH host, made on first use).

export interface KnownHost {
  name: string;
  kind: "local" | "ssh";
  runner: Runner;
  config: HostConfig | null;
  /** How csm is run there (config csmPath, else `csm` on the remote PATH). */
  csm: string;
}

export class HostRegistry {
  private readonly ssh = new Map<string, SshHost>();

  constructor(private readonly ctx: Context) {}

  names(): string[] {
    return ["local", ...Object.keys(this.ctx.settings.config.hosts)];
  }

  remoteNames(): string[] {
    return Object.keys(this.ctx.settings.config.hosts);
  }

  async get(name: string): Promise<KnownHost | null> {
    if (name === "local") return { name, kind: "local", runner: this.ctx.host, config: null, csm: "csm" };
    const config = this.ctx.settings.config.hosts[name];
    if (!config) return null;
    let runner = this.ssh.get(name);
    if (!runner) {
      // ssh2 loads only when an SSH host is used: a laptop-only `csm list` never pays for it.
      const { SshHost } = await import("../../host/ssh.ts");
      runner = new SshHost(name, config, { homeDir: this.ctx.env.HOME, agent: this.ctx.env.SSH_AUTH_SOCK ?? null });
      this.ssh.set(name, runner);
    }
    return { name, kind: "ssh", runner, config, csm: config.csmPath ?? "csm" };
  }

  close(): void {
    for (const host of this.ssh.values()) host.close();
    this.ssh.clear();
  }
}
