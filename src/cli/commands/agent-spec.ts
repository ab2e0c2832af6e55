import { readFileSync } from "node:fs";
import { loadSettings } from "../../config/load.ts";
import { createContext } from "../../core/context.ts";
import { hubInfoPath, stoppedOnPurpose, type HubInfo } from "../../hub-client/hub-files.ts";
import { csmPaths } from "../../config/paths.ts";
import { processAlive, processRuns } from "../../shared/process-alive.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { AGENT_CHALLENGE_HEADER, agentProof, hubProof, isNonce, linkSeal, newNonce, proofMatches, type AgentAuthFrame, type AgentChallengeFrame, type LinkSeal } from "../../link/agent-proof.ts";
import type { AgentSocket, AgentSocketHandlers, HubLinkDeps, HubStartOutcome } from "../../link/hub-link.ts";
import { VERSION } from "../../shared/version.ts";
import { LocalHost } from "../../host/local.ts";
import { claudeConfigDir } from "../../config/claude-config-dir.ts";
import { composeSettings, parseUserSettings, preToolUseHookSettings } from "../../link/hook-settings.ts";
import { nativeHookSettings, statusCopyOf, userStatusLineCommand } from "../../link/native-settings.ts";
import type { LaunchSpec } from "../../link/launch.ts";
import { openDatabase } from "../../store/db.ts";
import { SessionStore } from "../../store/sessions.ts";
import { checkName } from "../../shared/names.ts";

// Shared by the two programs an agent pane runs (`csm bridge`, `csm run-agent`): take the
// launch spec (deleting it at once: it holds secrets), give claude csm's hooks, and
// record how claude ended.

export async function takeLaunchSpec(name: string): Promise<LaunchSpec> {
  checkName("session", name);
  const settings = await loadSettings();
  const path = `${settings.paths.launchDir}/${name}.json`;
  const file = Bun.file(path);
  if (!(await file.exists())) throw new Error(`no launch spec for ${name} at ${path}; start the session with \`csm reconnect ${name}\``);
  const spec = (await file.json()) as LaunchSpec;
  await file.delete();
  return spec;
}

export async function recordExit(spec: LaunchSpec, status: number): Promise<void> {
  const db = openDatabase((await loadSettings(spec.env)).paths.database);
  new SessionStore(db).recordExit(spec.host, spec.session, status, new Date().toISOString());
  db.close();
}

/**
 * Writes the spec's `--settings` file: the user's own settings from claudeArgs with csm's
 * PreToolUse hook added (see link/hook-settings.ts). Returns what removes it again.
 */
export async function writeHookSettings(spec: LaunchSpec, hookUrl: string, secretVariable: string): Promise<() => Promise<void>> {
  const user = spec.userSettings.map((value) => parseUserSettings(value, (path) => readFileSync(path, "utf8"), spec.cwd));
  return writeSettings(spec, composeSettings(user, preToolUseHookSettings(hookUrl, secretVariable)));
}

/**
 * A native session's `--settings` file: every hook to the supervisor at `hookUrl`, and a
 * statusLine that keeps claude's status input, feeding the user's own status line if they
 * have one (read, never changed: their --settings, else claude's settings.json). The
 * supervisor removes both files as it ends (see commands/native.ts).
 */
export async function writeNativeSettings(spec: LaunchSpec, hookUrl: string, secretVariable: string): Promise<void> {
  const user = spec.userSettings.map((value) => parseUserSettings(value, (path) => readFileSync(path, "utf8"), spec.cwd));
  const claudeOwn = readJsonObject(`${claudeConfigDir(spec.env)}/settings.json`);
  const statusLine = { copyTo: statusCopyOf(spec.hookSettingsFile), userCommand: userStatusLineCommand([...(claudeOwn ? [claudeOwn] : []), ...user]) };
  await writeSettings(spec, composeSettings(user, nativeHookSettings(hookUrl, secretVariable, statusLine)));
  // Made private before claude writes to it: `cat >` keeps the mode of the file it truncates.
  await new LocalHost().files.writeAtomic(statusLine.copyTo, "", 0o600);
}

function readJsonObject(path: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function writeSettings(spec: LaunchSpec, settings: Record<string, unknown>): Promise<() => Promise<void>> {
  const files = new LocalHost().files;
  await files.mkdirp(spec.hookSettingsFile.slice(0, spec.hookSettingsFile.lastIndexOf("/")), 0o700);
  await files.writeAtomic(spec.hookSettingsFile, JSON.stringify(settings), 0o600);
  return () => files.remove(spec.hookSettingsFile).catch(() => undefined);
}

/**
 * The link's `connect` for a session: to the port its hub listens on now. hub.json says so
 * while that hub runs; the spec's port otherwise. The two differ after a hub with tls
 * restarts (its loopback listener takes whatever port is free) or after the configured
 * port changed: a link that kept dialing the spec's port would never relink.
 */
export function agentSocketFor(spec: LaunchSpec): HubLinkDeps["connect"] {
  const hubJson = hubInfoPath(csmPaths(spec.env).stateDir);
  return (url, secret, handlers) => connectAgentSocket(withHubPort(url, hubJson), secret, handlers);
}

function withHubPort(url: string, hubJson: string): string {
  try {
    const info = JSON.parse(readFileSync(hubJson, "utf8")) as HubInfo;
    const runs = info.procStart ? processRuns(info.pid, info.procStart) : processAlive(info.pid);
    if (!runs || !Number.isInteger(info.port) || info.port <= 0) return url;
    const current = new URL(url);
    current.port = String(info.port);
    return current.toString();
  } catch {
    // No hub.json (no hub yet, or one starting): the spec's port.
    return url;
  }
}

/** How long the hub has to prove itself once the socket is open; what holds the link silently is dropped. */
const CHALLENGE_TIMEOUT_MS = 5_000;

/**
 * The pane's end of the agent socket, for link/hub-link.ts. The secret never leaves this
 * process: the hub must prove it holds it before any frame counts, and after that every
 * message either way is sealed (see link/agent-proof.ts).
 */
export function connectAgentSocket(url: string, secret: string, handlers: AgentSocketHandlers): AgentSocket {
  const { port, pathname } = new URL(url);
  const session = decodeURIComponent(pathname.split("/").pop() ?? "");
  const nonce = newNonce();
  const socket = new WebSocket(url, { headers: { [AGENT_CHALLENGE_HEADER]: nonce } } as unknown as string[]);
  let seal: LinkSeal | null = null;
  const refuse = (why: string) => {
    handlers.refused?.(why);
    socket.close(4401);
  };
  const silence = setTimeout(() => refuse(`what answers on port ${port} did not prove within ${CHALLENGE_TIMEOUT_MS / 1000} s that it is the csm hub that holds session ${session}`), CHALLENGE_TIMEOUT_MS);
  socket.onmessage = (event) => {
    const text = typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
    if (seal) {
      const opened = seal.open(text);
      if (opened === null) return refuse(`a message on the link to port ${port} was not sealed by the csm hub of session ${session}`);
      return handlers.message(opened);
    }
    clearTimeout(silence);
    const challenge = parseChallenge(text);
    if (!challenge || !proofMatches(challenge.proof, hubProof(secret, session, nonce))) {
      return refuse(`what answers on port ${port} did not prove it is the csm hub that holds session ${session}`);
    }
    seal = linkSeal(secret, session, nonce, challenge.nonce, "agent");
    const auth: AgentAuthFrame = { type: "csm_auth", proof: agentProof(secret, session, challenge.nonce) };
    socket.send(`${JSON.stringify(auth)}\n`);
    handlers.open();
  };
  socket.onclose = () => {
    clearTimeout(silence);
    handlers.close();
  };
  socket.onerror = () => {};
  return {
    // Nothing leaves before the hub has proved itself (hub-link sends only after its hello).
    send: (text) => void (seal && socket.send(seal.seal(text))),
    close: () => socket.close(1000),
  };
}

/** The hub's challenge: its only frame until the link has answered it. */
function parseChallenge(text: string): AgentChallengeFrame | null {
  try {
    const frame = JSON.parse(text) as Partial<AgentChallengeFrame>;
    return frame.type === "csm_challenge" && isNonce(frame.nonce) && typeof frame.proof === "string" ? (frame as AgentChallengeFrame) : null;
  } catch {
    return null;
  }
}

/**
 * A hub for a pane whose hub is gone: with the session's own environment (its state dir
 * and config) and on the port its agent URL names, so the link can relink to it.
 */
export async function startHubFor(spec: LaunchSpec): Promise<HubStartOutcome> {
  const ctx = await createContext(spec.env);
  try {
    if (await stoppedOnPurpose(ctx.settings.paths.stateDir)) return "stopped-on-purpose";
    const hub = await ensureHub(ctx, { port: Number(new URL(spec.agentUrl).port) });
    // The link failed and a hub answers: one from before an upgrade speaks an older link.
    if (hub.info.version !== VERSION) return { otherVersion: String(hub.info.version), ownVersion: VERSION };
    return "running";
  } finally {
    ctx.close();
  }
}
