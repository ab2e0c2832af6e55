import { createHmac } from "node:crypto";
import { secretsMatch } from "../shared/secrets.ts";

// How the pane's end of the link (bridge, native supervisor) and the hub prove to each
// other that both hold the session's agent secret, without either sending it.
//
// Why: the hub's port is a fixed number on 127.0.0.1. While the hub is down, any local
// process (another user's) can listen there. A link that sent its secret as a bearer
// would hand it to that process, which could then answer claude's tool requests as the
// hub: an approval nobody gave. So the link names only a fresh nonce when it connects;
// the hub answers with its own nonce and an HMAC of the link's nonce under the secret,
// and the link answers with an HMAC of the hub's nonce. Each side checks the other's
// proof before it trusts a frame; a captured exchange proves nothing later (fresh nonces).
//
// claude's own sdk-url connection (claude ≤ 2.1.120) still sends the secret as a bearer:
// that protocol is claude's, and the hub accepts it for that transport.

/**
 * The agent link's version, in hub.json: 1 took the secret as a bearer; 2 is proofs and
 * sealed messages. A hub serves links of its own version and older (old panes keep
 * running across an upgrade); a pane links only to a hub of its version or newer.
 */
export const AGENT_LINK_VERSION = 2;

/** The upgrade request's header that carries the link's nonce (instead of a bearer). */
export const AGENT_CHALLENGE_HEADER = "x-csm-agent-challenge";

/** The hub's first frame to a link that asked to be challenged. */
export interface AgentChallengeFrame {
  type: "csm_challenge";
  /** The hub's nonce, for the link's proof. */
  nonce: string;
  /** HMAC of the link's nonce: the hub holds the secret. */
  proof: string;
}

/** The link's answer: it holds the secret too. */
export interface AgentAuthFrame {
  type: "csm_auth";
  proof: string;
}

const NONCE = /^[0-9a-f]{32}$/;

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex");
}

export const isNonce = (value: unknown): value is string => typeof value === "string" && NONCE.test(value);

// The role is part of what is signed, so one side's proof never passes for the other's.
const proofOf = (role: "hub" | "agent", secret: string, session: string, nonce: string) =>
  createHmac("sha256", secret).update(`csm-agent-link\0${role}\0${session}\0${nonce}`).digest("hex");

/** What the hub sends a link whose nonce is `agentNonce`. */
export function hubProof(secret: string, session: string, agentNonce: string): string {
  return proofOf("hub", secret, session, agentNonce);
}

/** What the link sends back for the hub's nonce. */
export function agentProof(secret: string, session: string, hubNonce: string): string {
  return proofOf("agent", secret, session, hubNonce);
}

/** Whether `given` is the proof `expected`, compared in constant time. */
export function proofMatches(given: unknown, expected: string): boolean {
  return typeof given === "string" && secretsMatch(given, expected);
}

/**
 * After the proofs, every message on the link is sealed with a key both sides derive from
 * the secret and both nonces: a MAC over the side that sent it, its number and its text.
 * The proofs alone would not do: something that held the link's connection open could
 * relay them to the real hub and then read and write the link in the middle. A message
 * that was changed, made up, replayed, dropped or reordered does not open, and the link
 * ends there. Not encryption: this is the machine's loopback; what matters is who speaks.
 */
export interface LinkSeal {
  /** The message as sent: its MAC, a space, the text. */
  seal(text: string): string;
  /** The text of a sealed message from the other side, or null when it does not open. */
  open(message: string): string | null;
}

const MAC_LENGTH = 64;

export function linkSeal(secret: string, session: string, agentNonce: string, hubNonce: string, side: "hub" | "agent"): LinkSeal {
  const key = createHmac("sha256", secret).update(`csm-agent-link\0key\0${session}\0${agentNonce}\0${hubNonce}`).digest();
  const other = side === "hub" ? "agent" : "hub";
  let sent = 0;
  let received = 0;
  const macOf = (from: string, count: number, text: string) => createHmac("sha256", key).update(`${from}\0${count}\0`).update(text).digest("hex");
  return {
    seal: (text) => `${macOf(side, sent++, text)} ${text}`,
    open(message) {
      if (message.length < MAC_LENGTH + 1 || message[MAC_LENGTH] !== " ") return null;
      const text = message.slice(MAC_LENGTH + 1);
      if (!secretsMatch(message.slice(0, MAC_LENGTH), macOf(other, received, text))) return null;
      received += 1;
      return text;
    },
  };
}
