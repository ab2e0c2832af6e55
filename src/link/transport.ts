import type { Runner } from "../host/runner.ts";

// Which transport links a session's claude to the hub. claude ≤ 2.1.120 accepts
// `--sdk-url ws://127.0.0.1…`; 2.1.121 and later refuse every host but Anthropic's, so
// they get the stdio bridge. The probe (`claude --version`) is cached per binary path,
// size and mtime, so it runs once per installed claude; a probe that fails or does not
// answer within PROBE_TIMEOUT_MS is cached too, so a hung binary delays one create, not each.

/**
 * How a session's claude reaches the hub: csm's stdio bridge, claude's own --sdk-url, or
 * (a native session) csm's supervisor relaying claude's hooks and transcript.
 */
export type Transport = "bridge" | "sdk-url" | "native";

/** What a headless session may be configured with. */
export type TransportChoice = "bridge" | "sdk-url" | "auto";

export const LAST_SDK_URL_VERSION: [number, number, number] = [2, 1, 120];

export function parseClaudeVersion(output: string): [number, number, number] | null {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

export function transportForVersion(version: [number, number, number] | null): "bridge" | "sdk-url" {
  if (!version) return "bridge";
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== LAST_SDK_URL_VERSION[i]!) return version[i]! < LAST_SDK_URL_VERSION[i]! ? "sdk-url" : "bridge";
  }
  return "sdk-url";
}

export interface TransportDecision {
  transport: "bridge" | "sdk-url";
  version: string | null;
  reason: string;
}

export const PROBE_TIMEOUT_MS = 3_000;

/** A cache entry: claude's `--version` output, or why the probe gave none. */
type Probe = string | { failed: string };

export async function chooseTransport(runner: Runner, claudeBin: string, choice: TransportChoice, cacheFile: string): Promise<TransportDecision> {
  if (choice !== "auto") return { transport: choice, version: null, reason: `configured: ${choice}` };
  const stat = await Bun.file(claudeBin).stat().catch(() => null);
  const key = `${claudeBin}:${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`;
  const entries = await readCache(runner, cacheFile);
  let probe = entries[key];
  if (probe === undefined) {
    probe = await probeVersion(runner, claudeBin);
    await runner.files.writeAtomic(cacheFile, JSON.stringify({ ...entries, [key]: probe }), 0o600).catch(() => {});
  }
  const version = typeof probe === "string" ? probe : null;
  const transport = transportForVersion(version ? parseClaudeVersion(version) : null);
  const reason =
    transport === "sdk-url"
      ? `claude ${version} accepts a local --sdk-url`
      : version
        ? `claude ${version} refuses a local --sdk-url (≥ 2.1.121)`
        : `claude's version is unknown${typeof probe === "object" ? ` (${probe.failed})` : ""}`;
  return { transport, version, reason };
}

async function readCache(runner: Runner, cacheFile: string): Promise<Record<string, Probe>> {
  try {
    const entries = JSON.parse((await runner.files.read(cacheFile).catch(() => null)) ?? "{}") as unknown;
    return typeof entries === "object" && entries !== null && !Array.isArray(entries) ? (entries as Record<string, Probe>) : {};
  } catch {
    return {};
  }
}

async function probeVersion(runner: Runner, claudeBin: string): Promise<Probe> {
  const noAnswer = { failed: `no answer to --version within ${PROBE_TIMEOUT_MS / 1000} s` };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as killed: a killed script's children can hold its output open, and
  // run() waits for that output to end.
  const late = new Promise<typeof noAnswer>((resolve) => (timer = setTimeout(() => resolve(noAnswer), PROBE_TIMEOUT_MS)));
  const ran = runner.run([claudeBin, "--version"], { timeoutMs: PROBE_TIMEOUT_MS }).catch((error: Error) => ({ failed: error.message }));
  const result = await Promise.race([ran, late]);
  clearTimeout(timer);
  if ("failed" in result) return result;
  return result.code === 0 ? result.stdout.trim() : { failed: `--version exited ${result.code}` };
}
