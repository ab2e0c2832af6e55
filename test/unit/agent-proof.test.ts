import { expect, test } from "bun:test";
import { agentProof, hubProof, isNonce, linkSeal, newNonce, proofMatches } from "../../src/link/agent-proof.ts";
import { openHubLink } from "../../src/link/hub-link.ts";
import { plain } from "../../src/link/render.ts";
import { scriptedHub } from "../helpers/scripted-hub.ts";

// The proofs the link and the hub exchange instead of the session's secret.

const secret = "a".repeat(64);

test("a proof depends on the secret, the session, the nonce and the side that makes it", () => {
  const nonce = newNonce();
  const proof = hubProof(secret, "s", nonce);
  expect(proof).toMatch(/^[0-9a-f]{64}$/);
  expect(hubProof(secret, "s", nonce)).toBe(proof);
  expect(proof).not.toContain(secret);
  for (const other of [hubProof("b".repeat(64), "s", nonce), hubProof(secret, "t", nonce), hubProof(secret, "s", newNonce()), agentProof(secret, "s", nonce)]) {
    expect(other).not.toBe(proof);
  }
});

test("only a 32-digit hex nonce is one, and only the exact proof matches", () => {
  expect(isNonce(newNonce())).toBe(true);
  expect(newNonce()).not.toBe(newNonce());
  for (const bad of ["", "0".repeat(31), "0".repeat(33), "G".repeat(32), `${"0".repeat(31)}\n`, 7, null]) expect(isNonce(bad)).toBe(false);
  const proof = agentProof(secret, "s", newNonce());
  expect(proofMatches(proof, proof)).toBe(true);
  expect(proofMatches(proof.toUpperCase(), proof)).toBe(false);
  expect(proofMatches(proof.slice(1), proof)).toBe(false);
  expect(proofMatches(undefined, proof)).toBe(false);
  expect(proofMatches({ toString: () => proof }, proof)).toBe(false);
});

test("a link told that what answered is not its hub says so once, until a hub says hello", async () => {
  const hub = scriptedHub();
  const printed: string[] = [];
  const link = openHubLink({ agentUrl: "ws://x/ws/agent/s", secret, transport: "bridge" }, { connect: hub.connect, print: (line) => void printed.push(line), palette: plain, sleep: () => Bun.sleep(1) }, { openRequests: () => [], deliver: () => {} });
  const refuse = async () => {
    hub.sockets.at(-1)!.handlers.refused!("what answers on port 1 did not prove it is the csm hub that holds session s");
    hub.sockets.at(-1)!.handlers.close();
    await Bun.sleep(10);
  };
  await refuse();
  await refuse();
  expect(printed).toEqual(["not linking: what answers on port 1 did not prove it is the csm hub that holds session s (the session's secret is never sent); the link keeps trying"]);
  hub.hello(hub.sockets.length - 1, 0);
  hub.sockets.at(-1)!.handlers.close();
  await Bun.sleep(10);
  await refuse();
  expect(printed).toHaveLength(2);
  link.close();
});

test("sealed messages open only on the other side, in order, once, unchanged", () => {
  const [agentNonce, hubNonce] = [newNonce(), newNonce()];
  const hub = linkSeal(secret, "s", agentNonce, hubNonce, "hub");
  const agent = linkSeal(secret, "s", agentNonce, hubNonce, "agent");
  const first = hub.seal('{"type":"csm_hello","lastSeq":0}\n');
  const second = hub.seal('{"type":"csm_ack","seq":1}\n');
  expect(first).not.toContain(secret);
  // Out of order, or the hub's own message fed back to it: neither opens.
  expect(agent.open(second)).toBeNull();
  expect(hub.open(first)).toBeNull();
  expect(agent.open(first)).toBe('{"type":"csm_hello","lastSeq":0}\n');
  // Replayed: its number is spent.
  expect(agent.open(first)).toBeNull();
  // Changed by one character.
  expect(agent.open(second.replace('"seq":1', '"seq":9'))).toBeNull();
  expect(agent.open(second)).toBe('{"type":"csm_ack","seq":1}\n');
  // The other direction keeps its own count.
  expect(hub.open(agent.seal("up"))).toBe("up");
  // Another link's seal (other nonces, session or secret) opens nothing of this one.
  for (const stranger of [
    linkSeal(secret, "s", newNonce(), hubNonce, "hub"),
    linkSeal(secret, "t", agentNonce, hubNonce, "hub"),
    linkSeal("b".repeat(64), "s", agentNonce, hubNonce, "hub"),
  ]) {
    const fresh = linkSeal(secret, "s", agentNonce, hubNonce, "agent");
    expect(fresh.open(stranger.seal("x"))).toBeNull();
  }
  for (const junk of ["", "x", `${"0".repeat(64)} x`, `${"0".repeat(64)}x`, "{}"]) expect(linkSeal(secret, "s", agentNonce, hubNonce, "agent").open(junk)).toBeNull();
});
