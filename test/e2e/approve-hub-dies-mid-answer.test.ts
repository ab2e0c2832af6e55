import { expect, setDefaultTimeout, test } from "bun:test";
import { startTestHub } from "../helpers/hub.ts";
import { bashRequest, playBridge, playedSession } from "../helpers/played-bridge.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// A person approves; the hub sends the answer and dies before the bridge reports that
// claude got it. claude acts on it, so the log must say who decided: the decision travels
// with the answer and comes back in the bridge's numbered report, and the next hub stores
// it once. The bridge is played here (as in `bun run bench hub`), over the real client.

setDefaultTimeout(60_000);

test("the hub dies between sending a person's allow and hearing claude got it: the next hub logs that decision, once", async () => {
  await using sb = await makeSandbox();
  const secret = "e".repeat(64);
  await playedSession(sb, "s", secret);

  const first = await startTestHub(sb);
  const bridge = playBridge(first.port, "s", secret);
  const lastSeq = await bridge.hello;
  bridge.socket.send(bashRequest("r1", "touch ran", lastSeq + 1));
  await sb.waitFor(async () => ((await (await first.fetch("/api/sessions/s")).json()) as { pending: unknown[] }).pending.length === 1, { what: "the request pending" });

  // The person approves; the answer reaches the bridge, which does not report yet.
  const approving = sb.csm(["approve", "s"]);
  const answer = await sb.waitFor(() => bridge.frames.find((f) => f.type === "control_response"), { what: "the allow at the bridge" });
  expect(answer.csm_decision).toMatchObject({ event: "decision", action: "allow", by: "person", requestId: "r1" });
  process.kill(first.pid, "SIGKILL");
  // The person is not told it failed: it may well have been done.
  const told = await approving;
  expect(told.code).not.toBe(0);
  expect(told.stderr).toContain("went away before it answered");
  expect(told.stderr).toContain("what was asked may have been done");
  bridge.socket.close();

  // claude got the allow. The bridge relinks to the next hub and reports it, numbered.
  await using second = await startTestHub(sb);
  const again = playBridge(second.port, "s", secret);
  const stored = await again.hello;
  expect(stored).toBe(lastSeq + 1);
  const { csm_out: out, ...sent } = answer;
  again.socket.send(`${JSON.stringify({ type: "csm_sent", message: sent, out, csm_seq: stored + 1 })}\n`);
  await sb.waitFor(() => again.frames.some((f) => f.type === "csm_ack" && f.seq === stored + 1), { what: "the report stored" });

  const events = (await (await second.fetch("/api/sessions/s/events")).json()) as { kind: string; data: Record<string, unknown> }[];
  const decisions = events.filter((e) => e.kind === "decision");
  expect(decisions.map((e) => [e.data.action, e.data.by, e.data.requestId])).toEqual([["allow", "person", "r1"]]);
  // What is stored as sent is what claude got: no decision in it.
  expect(events.filter((e) => e.kind === "sent").map((e) => e.data.csm_decision)).toEqual([undefined]);
  expect(((await (await second.fetch("/api/sessions/s")).json()) as { pending: unknown[] }).pending).toEqual([]);
  // Sent again (the bridge resends what was not acknowledged): stored once.
  again.socket.send(`${JSON.stringify({ type: "csm_sent", message: sent, out, csm_seq: stored + 1 })}\n`);
  await Bun.sleep(200);
  const after = (await (await second.fetch("/api/sessions/s/events")).json()) as { kind: string }[];
  expect(after.filter((e) => e.kind === "decision")).toHaveLength(1);
  again.socket.close();
});

test("a pane of an older csm (a bearer, no seal) is never handed the decision; the hub logs it once delivered", async () => {
  await using sb = await makeSandbox();
  const secret = "d".repeat(64);
  await playedSession(sb, "s", secret);
  await using hub = await startTestHub(sb);
  const socket = new WebSocket(`ws://127.0.0.1:${hub.port}/ws/agent/s?transport=bridge`, { headers: { authorization: `Bearer ${secret}` } } as unknown as string[]);
  const frames: Record<string, unknown>[] = [];
  socket.onmessage = (event) => {
    for (const line of String(event.data).split("\n").filter(Boolean)) frames.push(JSON.parse(line) as Record<string, unknown>);
  };
  const hello = await sb.waitFor(() => frames.find((f) => f.type === "csm_hello"), { what: "the hello" });
  socket.send(bashRequest("r1", "ls", (hello.lastSeq as number) + 1));
  await sb.waitFor(async () => ((await (await hub.fetch("/api/sessions/s")).json()) as { pending: unknown[] }).pending.length === 1, { what: "the request pending" });
  const approving = sb.csm(["approve", "s"]);
  const answer = await sb.waitFor(() => frames.find((f) => f.type === "control_response"), { what: "the allow" });
  expect(Object.keys(answer)).not.toContain("csm_decision");
  const { csm_out: out, ...sent } = answer;
  socket.send(`${JSON.stringify({ type: "csm_sent", message: sent, out, csm_seq: (hello.lastSeq as number) + 2 })}\n`);
  expect((await approving).code).toBe(0);
  const events = (await (await hub.fetch("/api/sessions/s/events")).json()) as { kind: string; data: Record<string, unknown> }[];
  expect(events.filter((e) => e.kind === "decision").map((e) => [e.data.action, e.data.by])).toEqual([["allow", "person"]]);
  socket.close();
});
