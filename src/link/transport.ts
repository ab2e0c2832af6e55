import type { Transport } from "../core/live/live-state.ts";
import type { Runner } from "../host/runner.ts";

// Which transport links a session's claude to the hub. claude ≤ 2.1.120 accepts
// `--sdk-url ws://127.0.0.1…`; 2.1.121 and later refuse every host but Anthropic's, so
// they get the stdio bridge. The probe (`claude --version`) is cached per binary path,
// size and mtime, so it runs once per installed claude.

export type TransportChoice = Transport | "auto";

export const LAST_SDK_URL_VERSION: [number, number, number] = [2, 1, 120];

export function parseClaudeVersion(output: string): [number, number, number] | null {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

export function transportForVersion(version: [number, number, number] | null): Transport {
  if (!version) return "bridge";
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== LAST_SDK_URL_VERSION[i]!) return version[i]! < LAST_SDK_URL_VERSION[i]! ? "sdk-url" : "bridge";
  }
  return "sdk-url";
}

export interface TransportDecision {
  transport: Transport;
  version: string | null;
  reason: string;
}

export async function chooseTransport(runner: Runner, claudeBin: string, choice: TransportChoice, cacheFile: string): Promise<TransportDecision> {
  if (choice !== "auto") return { transport: choice, version: null, reason: `configured: ${choice}` };
  const stat = await Bun.file(claudeBin).stat().catch(() => null);
  const key = `${claudeBin}:${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`;
  const cache = (await runner.files.read(cacheFile).catch(() => null)) ?? "{}";
  let entries: Record<string, string> = {};
  try {
    entries = JSON.parse(cache) as Record<string, string>;
  } catch {
    entries = {};
  }
  let version: string | null = entries[key] ?? null;
  if (version === null) {
    const result = await runner.run([claudeBin, "--version"], { timeoutMs: 15_000 }).catch(() => null);
    version = result && result.code === 0 ? result.stdout.trim() : null;
    if (version !== null) await runner.files.writeAtomic(cacheFile, JSON.stringify({ ...entries, [key]: version }), 0o600).catch(() => {});
  }
  const transport = transportForVersion(version ? parseClaudeVersion(version) : null);
  const reason =
    transport === "sdk-url" ? `claude ${version} accepts a local --sdk-url` : version ? `claude ${version} refuses a local --sdk-url (≥ 2.1.121)` : "claude's version is unknown";
  return { transport, version, reason };
}
