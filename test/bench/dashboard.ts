import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";
import { connectAgent, startHub } from "./hub.ts";
import { formatTable, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// The dashboard with 100 sessions (simulated agents on the hub): its CPU while nothing
// happens (goal <= 1 % of a core over 10 s), its memory (goal <= 120 MB), and the time
// from an event leaving an agent socket to the frame that shows it.

const SESSIONS = 100;
const IDLE_SECONDS = 10;
const SAMPLES = 50;

const stat = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
const now = () => performance.timeOrigin + performance.now();

export const dashboardSection: BenchSection = {
  name: "dashboard",
  title: `the dashboard with ${SESSIONS} sessions: idle CPU (goal <= 1 % of a core), RSS (goal <= 120 MB), event -> frame`,
  async run() {
    await using sb = await makeSandbox();
    const hub = await startHub(sb, SESSIONS);
    const trace = join(sb.paths.root, "frames.log");
    try {
      const agents = hub.secrets.map((secret, i) => connectAgent(hub.port, `agent-${i}`, secret));
      await Promise.all(agents.map((a) => a.ready));
      const socket = sb.extraSocket("bench-tui");
      await sb.tmuxOn(socket, ["new-session", "-d", "-s", "tui", "-x", "160", "-y", "50", "-e", "TERM=xterm-256color", "-e", `CSM_TRACE_FRAMES=${trace}`, "--", "bun", CSM_ENTRY]);
      const pid = Number((await sb.tmuxOn(socket, ["list-panes", "-t", "=tui:", "-F", "#{pane_pid}"])).stdout.trim());
      await sb.waitFor(async () => (await sb.tmuxOn(socket, ["capture-pane", "-p", "-t", "=tui:"])).stdout.includes("agent-1"), { what: "the dashboard", timeoutMs: 20_000 });
      await Bun.sleep(1000);

      const cpuBefore = stat(pid);
      await Bun.sleep(IDLE_SECONDS * 1000);
      const idleCpu = (stat(pid) - cpuBefore) / IDLE_SECONDS;

      const latencies: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const agent = agents[i % agents.length]!;
        const framesBefore = readFileSync(trace, "utf8").trim().split("\n").length;
        agent.seq += 1;
        const sent = now();
        agent.socket.send(`${JSON.stringify({ type: "assistant", uuid: crypto.randomUUID(), session_id: "b", parent_tool_use_id: null, message: { id: `m${i}`, model: "bench", role: "assistant", content: [{ type: "text", text: `sample ${i}` }], stop_reason: null }, csm_seq: agent.seq })}\n`);
        let frames: string[] = [];
        await sb.waitFor(() => (frames = readFileSync(trace, "utf8").trim().split("\n")).length > framesBefore, { what: "a frame", timeoutMs: 5000 });
        latencies.push(Number(frames[framesBefore]) - sent);
        await Bun.sleep(100);
      }
      const rss = rssMb(pid);
      await sb.tmuxOn(socket, ["send-keys", "-t", "=tui:", "q"]);
      for (const agent of agents) agent.socket.close();
      return formatTable(
        ["figure", "value", "goal"],
        [
          [`idle CPU over ${IDLE_SECONDS} s (${SESSIONS} sessions)`, `${(idleCpu * 100).toFixed(2)} % of one core`, "<= 1 %"],
          ["RSS", `${rss.toFixed(0)} MB`, "<= 120 MB"],
          [`event -> frame drawn, p50 (${SAMPLES} events)`, ms(percentile(latencies, 0.5)), "one frame is 16 ms"],
          ["event -> frame drawn, p99", ms(percentile(latencies, 0.99)), ""],
        ],
      );
    } finally {
      await hub.stop();
    }
  },
};
