import { readFileSync } from "node:fs";
import { csmPaths } from "../config/paths.ts";
import { hubInfoPath, isRunningHub, type HubInfo } from "../hub-client/hub-files.ts";
import { AGENT_CHALLENGE_HEADER, agentProof, hubProof, isNonce, linkSeal, newNonce, proofMatches, type AgentAuthFrame, type AgentChallengeFrame, type LinkSeal } from "../link/agent-proof.ts";
import type { AgentSocket, AgentSocketHandlers, HubLinkDeps } from "../link/hub-link.ts";
import type { LaunchSpec } from "../link/launch.ts";

// The pane's end of the agent socket (the hub's is hub/agent-link.ts), for the two programs
// an agent pane runs (`csm bridge`, `csm native`): which port to dial, the proofs, and the
// sealed messages after them (see link/agent-proof.ts).

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
    if (!isRunningHub(info) || !Number.isInteger(info.port) || info.port <= 0) return url;
    const current = new URL(url);
    current.port = String(info.port);
    return current.toString();
  } catch {
    // No hub.json (no hub yet, or one starting): the spec's port.
    return url;
  }
}

/**
 * How long the hub has to prove itself once the socket is open, and how long opening may
 * take: what holds the link without a word is dropped, and the link tries again.
 */
const CHALLENGE_TIMEOUT_MS = 5_000;
const OPEN_TIMEOUT_MS = 15_000;

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
  // A hub slow to accept is not one that fails to prove itself: the proof's clock starts at open.
  let silence = setTimeout(() => socket.close(), OPEN_TIMEOUT_MS);
  socket.onopen = () => {
    clearTimeout(silence);
    silence = setTimeout(() => refuse(`what answers on port ${port} did not prove within ${CHALLENGE_TIMEOUT_MS / 1000} s that it is the csm hub that holds session ${session}`), CHALLENGE_TIMEOUT_MS);
  };
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
