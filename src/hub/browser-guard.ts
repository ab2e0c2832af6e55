import { json } from "./http.ts";

// The hub's defences against pages in a browser: a request must name the hub by a host it
// answers to (a DNS-rebinding page names its own domain), and a state-changing request made
// with a browser's cookie must come from the hub's own page (its Origin). Token requests
// (CLI, scripts) are not a browser's and only meet the Host rule.

export interface GuardOptions {
  /** The address the hub listens on. */
  listen: string;
  tls: boolean;
  /** More names it answers to (config webHostNames), read on each request so a config change applies. */
  names: () => readonly string[];
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** The host part of a Host header, lowercased and without port or trailing dot; null when it is not a plain host. */
export function hostOf(header: string | null): string | null {
  const match = header ? HOST_HEADER.exec(header) : null;
  if (!match) return null;
  return match[1]!.toLowerCase().replace(/\.$/, "");
}

/** An address or name as it appears in a Host header (IPv6 in brackets), lowercased. */
export function asHostHeaderName(address: string): string {
  const lower = address.toLowerCase().replace(/\.$/, "");
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

export const isWildcardAddress = (address: string) => WILDCARDS.has(address);

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().replace(/^\[|\]$/g, "");
  return plain === "localhost" || plain === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

const STATE_CHANGING = new Set(["POST", "PATCH", "PUT", "DELETE"]);
export const changesState = (method: string) => STATE_CHANGING.has(method.toUpperCase());

export class BrowserGuard {
  constructor(private readonly options: GuardOptions) {}

  get tls(): boolean {
    return this.options.tls;
  }

  /** Every name the hub answers to, as a Host header spells it. */
  allowedHosts(): Set<string> {
    const hosts = new Set(["localhost", "127.0.0.1", "[::1]", ...this.options.names().map(asHostHeaderName)]);
    if (!isWildcardAddress(this.options.listen)) hosts.add(asHostHeaderName(this.options.listen));
    return hosts;
  }

  /** A refusal when the request's Host names another host than this hub (any port); null when it may pass. */
  hostRefusal(request: Request): Response | null {
    const header = request.headers.get("host");
    const host = hostOf(header);
    if (host !== null && this.allowedHosts().has(host)) return null;
    const named = header === null ? "no Host header" : `Host ${JSON.stringify(header)}`;
    return json(
      {
        error: {
          name: "MisdirectedRequest",
          message: `${named}: this hub answers only to ${[...this.allowedHosts()].join(", ")} (add a name it is reached by to webHostNames in the config)`,
          data: { host: header },
        },
      },
      421,
    );
  }

  /** The origin the request reached the hub on: its scheme, and its Host (already checked). */
  ownOrigin(request: Request): string {
    return `${this.options.tls ? "https" : "http"}://${request.headers.get("host") ?? ""}`;
  }

  /**
   * A refusal unless the request carries the hub's own Origin: for a state-changing request
   * made with a browser session (a cross-site form or fetch would act with the cookie).
   */
  originRefusal(request: Request): Response | null {
    const origin = request.headers.get("origin");
    if (origin !== null && sameOrigin(origin, this.ownOrigin(request))) return null;
    const what = origin === null ? "it carries no Origin" : `its Origin ${JSON.stringify(origin)} is not this hub's`;
    return json(
      {
        error: {
          name: "ForeignOrigin",
          message: `refused: a browser request that changes something must come from the hub's own page, and ${what}`,
          data: { origin },
        },
      },
      403,
    );
  }

  /** Where a browser reaches this hub at `port`: its listen address (or, listening everywhere, its first configured name). */
  /** The HTTPS listener's port when the hub is reached from elsewhere (the page's), else null. */
  publicPort: number | null = null;

  pageBase(port: number): string {
    const listen = this.options.listen;
    if (this.publicPort !== null) port = this.publicPort;
    const host = isWildcardAddress(listen) ? (this.options.names()[0] ?? "127.0.0.1") : listen;
    return `${this.options.tls ? "https" : "http"}://${asHostHeaderName(host)}:${port}`;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const left = new URL(a);
    const right = new URL(b);
    return left.origin !== "null" && left.origin === right.origin;
  } catch {
    return false;
  }
}
