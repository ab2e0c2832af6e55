import { askHosts, type HostAnswer } from "../../core/conversations/conversations-everywhere.ts";
import { HostRegistry } from "../../core/hosts/host-registry.ts";
import type { Hub } from "../hub.ts";
import { httpError } from "../http.ts";

// A route's question to this host and others (conversations, trash, archive): this host
// answers from the hub itself, an SSH host from its own csm, through one registry per request.

/** The hosts a question goes to: the one `host` names (a 400 on `field` when none is configured so), or every configured host. */
export function hostsFor(hub: Hub, host: string | undefined, field: string): string[] {
  const configured = ["local", ...Object.keys(hub.ctx.settings.config.hosts)];
  if (host === undefined) return configured;
  const name = host === hub.ctx.host.hostName ? "local" : host;
  if (!configured.includes(name)) throw httpError("BadField", `unknown host ${JSON.stringify(host)} (configured: ${configured.join(", ")})`, { field });
  return [name];
}

export async function askFrom<T extends { host: string }>(hub: Hub, hosts: string[], local: () => T[], remoteArgs: string[]): Promise<HostAnswer<T>[]> {
  // This host alone needs no SSH connections.
  if (hosts.length === 1 && hosts[0] === "local") return [{ host: "local", items: local(), error: null }];
  const registry = new HostRegistry(hub.ctx);
  try {
    return await askHosts(registry, hosts, local, remoteArgs);
  } finally {
    registry.close();
  }
}

/** One host's list (`?host`, this host when absent): its own answer, or a 503 saying why there is none. */
export async function listOnHost<T extends { host: string }>(hub: Hub, host: string | null, local: () => T[], remoteArgs: string[]): Promise<T[]> {
  const [name] = hostsFor(hub, host ?? "local", "host");
  const [answer] = await askFrom(hub, [name!], local, remoteArgs);
  if (answer!.error) throw httpError("HostUnreachable", `${name}: ${answer!.error}`, { host: name });
  return answer!.items;
}
