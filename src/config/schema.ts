import { completePathMap, type PathMap } from "../core/carry/path-map.ts";
import { configError } from "../shared/errors.ts";
import { checkName } from "../shared/names.ts";
import { findSkippingArg } from "./permission-modes.ts";

// The config file's schema, checked field by field so an error names the exact field.
// Unknown fields are refused too: a misspelt `worktreBase` silently ignored would send
// worktrees somewhere the user did not choose.

/** node:os, loaded when asked: every command validates the config, few need the hostname (`bun run bench list`). */
const os = () => require("node:os") as typeof import("node:os");

export type RuleAction = "allow" | "deny" | "ask";

export interface ToolRule {
  tool: string;
  pattern?: string;
  action: RuleAction;
}

export interface HostConfig {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  defaultRepo?: string;
  csmPath?: string;
  env?: Record<string, string>;
}

export interface ProjectConfig {
  repo: string;
  /** A script path (relative to the worktree) or an argv array; never a shell string. */
  setupScript?: string | string[];
  /** Gitignored files (relative paths) copied from the repo into each new worktree. */
  copyFiles?: string[];
  /** Like setupScript; runs in the worktree before `kill` removes it. */
  teardownScript?: string | string[];
}

/** Ports handed out to sessions in blocks of 10 (CSM_PORT_BASE); both ends inclusive. */
export interface PortRange {
  from: number;
  to: number;
}

export interface SyncConfig {
  repo?: string;
  intervalMinutes?: number;
}

export interface TlsConfig {
  cert: string;
  key: string;
}

/** When a session needs a person (see hub/notifier.ts); `on` defaults to ["waiting"]. */
export interface NotifyConfig {
  on?: ("waiting" | "turn-ended" | "dead")[];
  /** argv (never a shell string); the notification as JSON on its stdin. */
  command?: string[];
  webhook?: { url: string; format?: "json" | "ntfy" | "slack" };
  /** notify-send, where it is installed. */
  desktop?: boolean;
}

export interface CsmConfig {
  defaultRepo?: string;
  worktreeBase?: string;
  tmuxSocket?: string;
  claudeBin?: string;
  claudeArgs?: string[];
  /** Consent to claudeArgs that let claude run tools without asking (csm's approvals then see less or nothing). */
  allowSkipPermissions?: boolean;
  /** How claude is linked to the hub: auto (by claude's version), bridge or sdk-url. */
  claudeTransport?: "auto" | "bridge" | "sdk-url";
  /** How new sessions run claude: native (its own screen, with hooks; the default) or headless (-p, stream-json). */
  sessionMode?: "native" | "headless";
  apiPort?: number;
  /** Web origins allowed to call the API from a browser (CORS); none by default. */
  apiAllowedOrigins?: string[];
  /** Where sessions' port blocks come from (default 20000–29999). */
  portRange?: PortRange;
  /** Days an ended session's archive entry (and its pane log) is kept; default 90. */
  archiveRetentionDays?: number;
  /** Placeholder → this machine's path, for carrying conversations (`{{HOME}}` is built in). */
  pathMap?: PathMap;
  /** This machine's name in carried conversations, locks and sync status; default the hostname. */
  machineName?: string;
  /** `csm sync`: the git repository conversations are shared through, and the hub's push interval (off unless set). */
  sync?: SyncConfig;
  /** Notifications when a session starts waiting (and with `on`, when a turn ends or it dies). */
  notify?: NotifyConfig;
  /** Host names (besides its address, localhost, 127.0.0.1 and [::1]) the hub answers to; any other Host header is refused. */
  webHostNames?: string[];
  /** PEM certificate and key (paths) the hub serves HTTPS with; required to listen beyond this machine. */
  tls?: TlsConfig;
  hosts: Record<string, HostConfig>;
  projects: Record<string, ProjectConfig>;
  toolApprovalRules: ToolRule[];
}

type Check = (value: unknown, field: string) => void;

/**
 * Keys that reach an object's prototype when code assigns or merges them
 * (`target[key] = value`), so JSON from outside (the config file, API bodies, a merge
 * patch) that has them anywhere is refused instead of trusted to never be merged.
 */
export const PROTOTYPE_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** The path of the first prototype key in a parsed JSON value (`hosts.dev.__proto__`), or null. */
export function findPrototypeKey(value: unknown, at = ""): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findPrototypeKey(value[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      const field = at ? `${at}.${key}` : key;
      if (PROTOTYPE_KEYS.includes(key)) return field;
      const found = findPrototypeKey((value as Record<string, unknown>)[key], field);
      if (found) return found;
    }
  }
  return null;
}

export const prototypeKeyProblem = "is not allowed: __proto__, constructor and prototype are refused as names";

export function validateConfig(raw: unknown, path: string): CsmConfig {
  const fail = (field: string, problem: string): never => {
    throw configError(path, field, problem);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const string: Check = (v, f) => {
    if (typeof v !== "string" || v === "") fail(f, "must be a non-empty string");
    if ((v as string).includes("\0")) fail(f, "must not contain NUL");
  };
  const port: Check = (v, f) => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) fail(f, "must be an integer port from 1 to 65535");
  };
  const boolean: Check = (v, f) => {
    if (typeof v !== "boolean") fail(f, "must be true or false");
  };
  const stringArray: Check = (v, f) => {
    if (!Array.isArray(v)) fail(f, "must be an array of strings");
    (v as unknown[]).forEach((item, i) => string(item, `${f}[${i}]`));
  };
  const name = (kind: "host" | "project" | "tmux socket"): Check => (v, f) => {
    string(v, f);
    try {
      checkName(kind, v as string);
    } catch (error) {
      fail(f, (error as Error).message);
    }
  };
  const record = (v: unknown, f: string, fields: Record<string, Check>, required: string[] = []) => {
    if (!isObject(v)) fail(f || "(top level)", "must be a JSON object");
    const object = v as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (!check) fail(f ? `${f}.${key}` : key, `unknown field (known: ${Object.keys(fields).join(", ")})`);
      check!(object[key], f ? `${f}.${key}` : key);
    }
    for (const key of required) if (!Object.hasOwn(object, key)) fail(f ? `${f}.${key}` : key, "is required");
  };
  const map = (item: (v: unknown, f: string) => void, kind: "host" | "project"): Check => (v, f) => {
    if (!isObject(v)) fail(f, "must be an object");
    for (const [key, value] of Object.entries(v as object)) {
      name(kind)(key, `${f}.${key}`);
      item(value, `${f}.${key}`);
    }
  };
  const env: Check = (v, f) => {
    if (!isObject(v)) fail(f, "must be an object of strings");
    for (const [key, value] of Object.entries(v as object)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) fail(`${f}.${key}`, "is not a valid environment variable name");
      if (typeof value !== "string") fail(`${f}.${key}`, "must be a string");
    }
  };
  const host: Check = (v, f) =>
    record(v, f, { host: string, port, user: string, identityFile: string, defaultRepo: string, csmPath: string, env }, ["host"]);
  const setupScript: Check = (v, f) => (Array.isArray(v) ? stringArray(v, f) : string(v, f));
  const project: Check = (v, f) => record(v, f, { repo: string, setupScript, teardownScript: setupScript, copyFiles: stringArray }, ["repo"]);
  const rule: Check = (v, f) => {
    record(v, f, { tool: string, pattern: string, action: string }, ["tool", "action"]);
    const action = (v as ToolRule).action;
    if (!["allow", "deny", "ask"].includes(action)) fail(`${f}.action`, `must be allow, deny or ask (got ${JSON.stringify(action)})`);
  };
  const rules: Check = (v, f) => {
    if (!Array.isArray(v)) fail(f, "must be an array of rules");
    (v as unknown[]).forEach((item, i) => rule(item, `${f}[${i}]`));
  };

  const origins: Check = (v, f) => {
    stringArray(v, f);
    (v as string[]).forEach((origin, i) => {
      if (!/^https?:\/\/[^/\s*]+$/.test(origin)) fail(`${f}[${i}]`, `must be an origin like https://example.com (no path, no wildcard; got ${JSON.stringify(origin)})`);
    });
  };
  const transport: Check = (v, f) => {
    if (v !== "auto" && v !== "bridge" && v !== "sdk-url") fail(f, `must be auto, bridge or sdk-url (got ${JSON.stringify(v)})`);
  };

  const sessionMode: Check = (v, f) => {
    if (v !== "native" && v !== "headless") fail(f, `must be native or headless (got ${JSON.stringify(v)})`);
  };

  const portRange: Check = (v, f) => {
    record(v, f, { from: port, to: port }, ["from", "to"]);
    const { from, to } = v as PortRange;
    if (to - from + 1 < 10) fail(f, `must hold at least one block of 10 ports (from ${from} to ${to} holds ${Math.max(0, to - from + 1)})`);
  };

  const days: Check = (v, f) => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 36500) fail(f, "must be a whole number of days from 1 to 36500");
  };

  const pathMap: Check = (v, f) => {
    if (!isObject(v)) fail(f, 'must be an object of placeholder → absolute path, like {"{{PROJECTS}}": "/home/me/src"}');
    for (const [key, value] of Object.entries(v as object)) if (typeof value !== "string") fail(`${f}.${key}`, "must be an absolute path");
    try {
      completePathMap(v as PathMap, process.env.HOME || os().homedir());
    } catch (error) {
      // completePathMap says "pathMap.{{X}}: problem" or "pathMap: problem"; keep the field it names.
      const [, entry, problem] = /^pathMap(\.[^:]+)?: (.*)$/s.exec((error as Error).message) ?? [];
      fail(`${f}${entry ?? ""}`, problem ?? (error as Error).message);
    }
  };

  const minutes: Check = (v, f) => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 10080) fail(f, "must be a whole number of minutes from 1 to 10080");
  };
  const sync: Check = (v, f) => record(v, f, { repo: string, intervalMinutes: minutes });

  const notifyOn: Check = (v, f) => {
    if (!Array.isArray(v)) fail(f, 'must be an array of "waiting", "turn-ended", "dead"');
    (v as unknown[]).forEach((item, i) => {
      if (item !== "waiting" && item !== "turn-ended" && item !== "dead") fail(`${f}[${i}]`, `must be waiting, turn-ended or dead (got ${JSON.stringify(item)})`);
    });
  };
  const argv: Check = (v, f) => {
    if (!Array.isArray(v) || v.length === 0) fail(f, 'must be a non-empty argv array, like ["notify-me", "--json"] (never a shell string)');
    stringArray(v, f);
  };
  const webhookUrl: Check = (v, f) => {
    string(v, f);
    let url: URL | null = null;
    try {
      url = new URL(v as string);
    } catch {
      // Said below.
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) fail(f, `must be an http(s) URL (got ${JSON.stringify(v)})`);
  };
  const webhookFormat: Check = (v, f) => {
    if (v !== "json" && v !== "ntfy" && v !== "slack") fail(f, `must be json, ntfy or slack (got ${JSON.stringify(v)})`);
  };
  const webhook: Check = (v, f) => {
    record(v, f, { url: webhookUrl, format: webhookFormat }, ["url"]);
    const { url, format } = v as { url: string; format?: string };
    if (format === "ntfy" && new URL(url).pathname.split("/").filter(Boolean).length === 0) fail(`${f}.url`, "must name the ntfy topic, like https://ntfy.sh/my-topic");
  };
  const notify: Check = (v, f) => record(v, f, { on: notifyOn, command: argv, webhook, desktop: boolean });
  const hostNames: Check = (v, f) => {
    stringArray(v, f);
    (v as string[]).forEach((host, i) => {
      if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(host)) fail(`${f}[${i}]`, `must be a host name or address without scheme or port, like phone.tailnet.example, IPv6 in brackets (got ${JSON.stringify(host)})`);
    });
  };
  // Only the shape here: whether the files can be read is checked when a hub starts with TLS.
  const tls: Check = (v, f) => record(v, f, { cert: string, key: string }, ["cert", "key"]);

  const prototypeKey = findPrototypeKey(raw);
  if (prototypeKey) fail(prototypeKey, prototypeKeyProblem);
  record(raw, "", {
    defaultRepo: string,
    worktreeBase: string,
    tmuxSocket: name("tmux socket"),
    claudeBin: string,
    claudeArgs: stringArray,
    allowSkipPermissions: boolean,
    claudeTransport: transport,
    sessionMode,
    apiPort: port,
    apiAllowedOrigins: origins,
    portRange,
    archiveRetentionDays: days,
    pathMap,
    machineName: name("host"),
    sync,
    notify,
    webHostNames: hostNames,
    tls,
    hosts: map(host, "host"),
    projects: map(project, "project"),
    toolApprovalRules: rules,
  });
  const config = raw as Partial<CsmConfig>;
  // A flag that turns claude's asking off would silently turn csm's approvals off with it.
  const skipping = config.allowSkipPermissions === true ? null : findSkippingArg(config.claudeArgs ?? []);
  if (skipping) {
    fail(
      `claudeArgs[${skipping.index}]`,
      `${JSON.stringify(skipping.shown)} lets claude run tools without asking, so csm's rules and you would never see them; remove it, or set "allowSkipPermissions": true if that is what you want`,
    );
  }
  return { ...config, hosts: config.hosts ?? {}, projects: config.projects ?? {}, toolApprovalRules: config.toolApprovalRules ?? [] };
}

/** This machine's name: the config's machineName, else the hostname's first label made a valid name. */
export function machineNameOf(config: Pick<CsmConfig, "machineName">): string {
  if (config.machineName) return config.machineName;
  const host = os().hostname().split(".")[0]!.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[-.]+/, "").slice(0, 64);
  return host || "localhost";
}

/** This machine's path map, checked and completed with `{{HOME}}`. */
export function pathMapOf(config: Pick<CsmConfig, "pathMap">, home = process.env.HOME || os().homedir()): PathMap {
  return completePathMap(config.pathMap ?? {}, home);
}
