import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { connectAgentSocket } from "../../src/cli/agent-socket.ts";
import type { AgentSocket } from "../../src/link/hub-link.ts";
import { openDatabase } from "../../src/store/db.ts";
import { SessionStore } from "../../src/store/sessions.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// A person approves; the hub sends the answer and dies before the bridge reports that
// claude got it. claude acts on it, so the log must say who decided: the decision travels
// with the answer and comes back in the bridge's numbered report, and the next hub stores
// it once. The bridge is played here (as in `bun run bench hub`), over the real client.

setDefaultTimeout(60_000);

interface Played {
  socket: AgentSocket;
  frames: Record<string, unknown>[];
  hello: Promise<number>;
}

function playBridge(port: number, secret: string): Played {
  const frames: Record<string, unknown>[] = [];
  let said!: (lastSeq: number) => void;
  const hello = new Promise<number>((resolve) => (said = resolve));
  const socket = connectAgentSocket(`ws://127.0.0.1:${port}/ws/agent/s?transport=bridge`, secret, {
    open() {},
    message(text) {
      for (const line of text.split("\n").filter(Boolean)) {
        const frame = JSON.parse(line) as Record<string, unknown>;
        frames.push(frame);
        if (frame.type === "csm_hello") said(frame.lastSeq as number);
      }
    },
    close() {},
  });
  return { socket, frames, hello };
}

test("the hub dies between sending a person's allow and hearing claude got it: the next hub logs that decision, once", async () => {
  await using sb = await makeSandbox();
  const secret = "e".repeat(64);
  const db = openDatabase(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  new SessionStore(db).insert({
    host: "local", name: "s", repo: null, worktree: sb.paths.root, branch: null, baseRef: null, baseCommit: null,
    createdBranch: false, createdWorktree: false, createdAt: new Date(Date.now() - 60_000).toISOString(), options: {}, claudeSessionId: null,
    favourite: false, exitStatus: null, exitedAt: null, agentSecret: secret, transport: "bridge",
  });
  db.close();
  // A live tmux session with an agent window, so the hub counts the session as running.
  expect((await sb.tmux(["new-session", "-d", "-s", "csm-s", "-n", "agent", "sleep 600"])).code).toBe(0);

  const first = await startTestHub(sb);
  const bridge = playBridge(first.port, secret);
  const lastSeq = await bridge.hello;
  const request = { type: "control_request", request_id: "r1", request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "touch ran" }, tool_use_id: "t1" } };
  bridge.socket.send(`${JSON.stringify({ ...request, csm_seq: lastSeq + 1 })}\n`);
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
  const again = playBridge(second.port, secret);
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
  const db = openDatabase(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  new SessionStore(db).insert({
    host: "local", name: "s", repo: null, worktree: sb.paths.root, branch: null, baseRef: null, baseCommit: null,
    createdBranch: false, createdWorktree: false, createdAt: new Date(Date.now() - 60_000).toISOString(), options: {}, claudeSessionId: null,
    favourite: false, exitStatus: null, exitedAt: null, agentSecret: secret, transport: "bridge",
  });
  db.close();
  expect((await sb.tmux(["new-session", "-d", "-s", "csm-s", "-n", "agent", "sleep 600"])).code).toBe(0);
  await using hub = await startTestHub(sb);
  const socket = new WebSocket(`ws://127.0.0.1:${hub.port}/ws/agent/s?transport=bridge`, { headers: { authorization: `Bearer ${secret}` } } as unknown as string[]);
  const frames: Record<string, unknown>[] = [];
  socket.onmessage = (event) => {
    for (const line of String(event.data).split("\n").filter(Boolean)) frames.push(JSON.parse(line) as Record<string, unknown>);
  };
  const hello = await sb.waitFor(() => frames.find((f) => f.type === "csm_hello"), { what: "the hello" });
  const request = { type: "control_request", request_id: "r1", request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "ls" }, tool_use_id: "t1" } };
  socket.send(`${JSON.stringify({ ...request, csm_seq: (hello.lastSeq as number) + 1 })}\n`);
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
