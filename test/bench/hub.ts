import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/store/db.ts";
import { SessionStore } from "../../src/store/sessions.ts";
import { makeSandbox, CSM_ENTRY, type Sandbox } from "../helpers/sandbox.ts";
import { formatTable, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";
import { connectAgentSocket } from "../../src/cli/agent-socket.ts";
import type { AgentSocket } from "../../src/link/hub-link.ts";

// The hub under load from simulated agent sockets (as bridges link: proofs, sealed messages,
// csm_seq, hello, acks),
// and the latency of a permission request from the agent socket to a client's event.

const AGENTS = 50;
const EVENTS_PER_SECOND = 1000;
const SECONDS = 10;
const ROUND_TRIPS = 300;

interface Hub {
  pid: number;
  port: number;
  token: string;
  stop(): Promise<void>;
}

export async function startHub(sb: Sandbox, sessions: number): Promise<Hub & { secrets: string[] }> {
  const db = openDatabase(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  const store = new SessionStore(db);
  const secrets: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const secret = crypto.randomUUID();
    secrets.push(secret);
    store.insert({
      host: "local", name: `agent-${i}`, repo: null, worktree: sb.paths.root, branch: null, baseRef: null, baseCommit: null,
      createdBranch: false, createdWorktree: false, createdAt: new Date().toISOString(), options: {}, claudeSessionId: null,
      favourite: false, exitStatus: null, exitedAt: null, agentSecret: secret, transport: "bridge",
    });
  }
  db.close();
  const child = Bun.spawn(["bun", CSM_ENTRY, "server"], { env: sb.env, stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  await reader.read();
  const info = JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { pid: number; port: number };
  const token = readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  return { ...info, token, secrets, stop: async () => (child.kill(), void (await child.exited)) };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Agent {
  socket: AgentSocket;
  seq: number;
  ready: Promise<void>;
  acked: number;
  /** Called with each message from the hub, opened, after the agent's own bookkeeping. */
  listeners: ((text: string) => void)[];
}

/** An agent socket as a bridge opens one: the challenge, the proofs, then sealed messages. */
export function connectAgent(port: number, name: string, secret: string): Agent {
  const agent = { seq: 0, acked: 0, listeners: [] as Agent["listeners"] } as Agent;
  agent.ready = new Promise((resolve, reject) => {
    agent.socket = connectAgentSocket(`ws://127.0.0.1:${port}/ws/agent/${name}?transport=bridge`, secret, {
      open() {},
      message(text) {
        for (const line of text.split("\n")) {
          if (!line) continue;
          const frame = JSON.parse(line) as { type: string; lastSeq?: number; seq?: number };
          if (frame.type === "csm_hello") {
            agent.seq = frame.lastSeq!;
            resolve();
          } else if (frame.type === "csm_ack") agent.acked = frame.seq!;
        }
        for (const listener of agent.listeners) listener(text);
      },
      close: () => reject(new Error(`agent ${name}'s socket closed`)),
      refused: (why) => reject(new Error(`agent ${name}: ${why}`)),
    });
  });
  return agent;
}

const assistantFrame = (agent: Agent, text: string) => {
  agent.seq += 1;
  return `${JSON.stringify({ type: "assistant", uuid: crypto.randomUUID(), session_id: "bench", parent_tool_use_id: null, message: { id: "m", model: "bench", role: "assistant", content: [{ type: "text", text }], stop_reason: null }, csm_seq: agent.seq })}\n`;
};

async function throughput(): Promise<string> {
  await using sb = await makeSandbox();
  const hub = await startHub(sb, AGENTS);
  try {
    const agents = hub.secrets.map((secret, i) => connectAgent(hub.port, `agent-${i}`, secret));
    await Promise.all(agents.map((a) => a.ready));
    const cpuBefore = cpuSeconds(hub.pid);
    const started = performance.now();
    let sent = 0;
    const total = EVENTS_PER_SECOND * SECONDS;
    const text = "x".repeat(200);
    // One tick per agent-round keeps the total rate at EVENTS_PER_SECOND.
    const interval = (1000 * AGENTS) / EVENTS_PER_SECOND;
    for (let round = 0; sent < total; round++) {
      for (const agent of agents) {
        if (sent >= total) break;
        agent.socket.send(assistantFrame(agent, text));
        sent += 1;
      }
      const due = started + (round + 1) * interval;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    const elapsed = (performance.now() - started) / 1000;
    const deadline = Date.now() + 10_000;
    while (agents.some((a) => a.acked < a.seq) && Date.now() < deadline) await Bun.sleep(20);
    const cpu = cpuSeconds(hub.pid) - cpuBefore;
    const db = new Database(join(sb.paths.stateHome, "csm", "csm.sqlite"), { readonly: true });
    const stored = (db.query("SELECT COUNT(*) AS n FROM events WHERE kind = 'claude'").get() as { n: number }).n;
    db.close();
    for (const agent of agents) agent.socket.close();
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${hub.pid}/status`, "utf8"))![1]) / 1024;
    return formatTable(
      ["figure", "value"],
      [
        ["agent sockets", String(AGENTS)],
        ["events sent", `${sent} in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed)}/s)`],
        ["events stored", String(stored)],
        ["events lost", `${sent - stored} (must be 0)`],
        ["hub CPU", `${cpu.toFixed(2)} s = ${((cpu / elapsed) * 100).toFixed(1)} % of one core`],
        ["hub RSS after", `${rss.toFixed(0)} MB`],
      ],
    );
  } finally {
    await hub.stop();
  }
}

async function roundTrip(): Promise<string> {
  await using sb = await makeSandbox();
  const hub = await startHub(sb, 1);
  try {
    const agent = connectAgent(hub.port, "agent-0", hub.secrets[0]!);
    await agent.ready;
    const response = await fetch(`http://127.0.0.1:${hub.port}/api/events`, { headers: { authorization: `Bearer ${hub.token}` } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const waitFor = async (requestId: string) => {
      for (;;) {
        const index = buffer.indexOf(requestId);
        if (index >= 0) {
          buffer = buffer.slice(buffer.indexOf("\n\n", index) + 2);
          return;
        }
        const { value } = await reader.read();
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const requestId = `bench-${i}-${crypto.randomUUID()}`;
      agent.seq += 1;
      const frame = { type: "control_request", request_id: requestId, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: `echo ${i}` }, tool_use_id: `t${i}` }, csm_seq: agent.seq };
      const started = performance.now();
      agent.socket.send(`${JSON.stringify(frame)}\n`);
      await waitFor(requestId);
      samples.push(performance.now() - started);
      // Withdraw it so the pending list stays short, as claude would after an answer.
      agent.seq += 1;
      agent.socket.send(`${JSON.stringify({ type: "control_cancel_request", request_id: requestId, csm_seq: agent.seq })}\n`);
      await waitFor(requestId);
    }
    await reader.cancel();
    agent.socket.close();
    return formatTable(
      ["figure", "p50", "p99", "max"],
      [[`can_use_tool on the agent socket → its event on /api/events (${ROUND_TRIPS} requests)`, ms(percentile(samples, 0.5)), ms(percentile(samples, 0.99)), ms(Math.max(...samples))]],
    );
  } finally {
    await hub.stop();
  }
}

export const hubSection: BenchSection = {
  name: "hub",
  title: `hub throughput (${AGENTS} agent sockets, ${EVENTS_PER_SECOND} events/s for ${SECONDS} s) and can_use_tool latency`,
  async run() {
    return `${await throughput()}\n\n${await roundTrip()}`;
  },
};
