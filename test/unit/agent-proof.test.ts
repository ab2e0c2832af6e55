import { expect, test } from "bun:test";
import { agentProof, hubProof, isNonce, newNonce, proofMatches } from "../../src/link/agent-proof.ts";
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
  expect(printed).toEqual(["not linking: what answers on port 1 did not prove it is the csm hub that holds session s; nothing was sent to it, and the link keeps trying"]);
  hub.hello(hub.sockets.length - 1, 0);
  hub.sockets.at(-1)!.handlers.close();
  await Bun.sleep(10);
  await refuse();
  expect(printed).toHaveLength(2);
  link.close();
});
