import { copyFileSync, mkdirSync, appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, CSM_ENTRY, FAKE_CLAUDE } from "../helpers/sandbox.ts";
import { startSshd, type Sshd } from "../helpers/sshd.ts";
import { formatTable, median, ms, timeProcess } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// Refreshing every session on 3 SSH hosts × 20 sessions: `csm list` (one remote command
// per host, hosts in parallel, on one connection each) against a loop of plain
// `ssh host tmux …` per session, the way earlier tools did it. Goal: >= 5x faster.

const HOSTS = 3;
const PER_HOST = 20;
const RUNS = 5;
const GOAL = 5;

export const sshSection: BenchSection = {
  name: "ssh",
  title: `refresh ${HOSTS} SSH hosts x ${PER_HOST} sessions: csm list vs one ssh+tmux per session (goal >= ${GOAL}x)`,
  async run() {
    await using sb = await makeSandbox();
    const daemons: Sshd[] = [];
    try {
      const hosts: Record<string, unknown> = {};
      mkdirSync(join(sb.paths.home, ".ssh"), { recursive: true });
      const sockets: string[] = [];
      for (let h = 0; h < HOSTS; h++) {
        const sshd = await startSshd();
        daemons.push(sshd);
        appendFileSync(join(sb.paths.home, ".ssh", "known_hosts"), readFileSync(sshd.knownHostsPath, "utf8"));
        const root = join(sb.paths.root, `host${h}`);
        const socket = sb.extraSocket(`host${h}`);
        sockets.push(socket);
        const client = sshd.client().config;
        hosts[`host${h}`] = {
          host: client.host, port: client.port, user: client.user, identityFile: client.identityFile, csmPath: CSM_ENTRY,
          env: {
            HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "config"), XDG_STATE_HOME: join(root, "state"), XDG_DATA_HOME: join(root, "data"),
            TMUX_TMPDIR: sb.paths.tmuxTmpdir, CSM_TMUX_SOCKET: socket, CSM_PORT: String(40000 + h * 7 + (process.pid % 1000)), CSM_CLAUDE_BIN: FAKE_CLAUDE,
            PATH: process.env.PATH ?? "/usr/bin:/bin",
          },
        };
        mkdirSync(join(root, "home"), { recursive: true });
      }
      await sb.writeConfig({ hosts });
      const repo = await sb.makeRepo("bench");
      for (let h = 0; h < HOSTS; h++) {
        for (let i = 0; i < PER_HOST; i++) {
          const created = await sb.csm(["create", `h${h}s${i}`, "--host", `host${h}`, "--repo", repo, "--no-worktree"], { timeoutMs: 60_000 });
          if (created.code !== 0) throw new Error(`create on host${h}: ${created.stderr}`);
        }
      }
      const csmTimes: number[] = [];
      for (let run = 0; run < RUNS + 1; run++) {
        const elapsed = await timeProcess(["bun", CSM_ENTRY, "list", "--json"], sb.env);
        if (run > 0) csmTimes.push(elapsed);
      }
      // The anchors' way: one ssh per session, asking tmux about that session.
      const loop = async () => {
        const started = performance.now();
        for (let h = 0; h < HOSTS; h++) {
          const client = daemons[h]!.client().config;
          for (let i = 0; i < PER_HOST; i++) {
            const child = Bun.spawn(
              ["ssh", "-F", "none", "-o", "BatchMode=yes", "-o", `UserKnownHostsFile=${join(sb.paths.home, ".ssh", "known_hosts")}`, "-i", client.identityFile, "-p", String(client.port), "-l", client.user, client.host,
                `TMUX_TMPDIR=${sb.paths.tmuxTmpdir} tmux -L ${sockets[h]} display-message -p -t =csm-h${h}s${i}: '#{pane_dead} #{session_created}'`],
              { stdout: "pipe", stderr: "pipe", env: sb.env },
            );
            await child.exited;
          }
        }
        return performance.now() - started;
      };
      const loopTimes = [await loop(), await loop()];
      const csmMedian = median(csmTimes);
      const loopMedian = median(loopTimes);
      const ratio = loopMedian / csmMedian;
      return [
        formatTable(
          ["way", "median", "runs"],
          [
            [`csm list --json (${HOSTS * PER_HOST} remote sessions)`, ms(csmMedian), String(csmTimes.length)],
            [`ssh + tmux per session (${HOSTS * PER_HOST} ssh calls)`, ms(loopMedian), String(loopTimes.length)],
          ],
        ),
        `ratio: ${ratio.toFixed(1)}x faster; goal >= ${GOAL}x: ${ratio >= GOAL ? "met" : "NOT met"}`,
      ].join("\n");
    } finally {
      for (let h = 0; h < HOSTS; h++) {
        const hubFile = join(sb.paths.root, `host${h}`, "state", "csm", "hub.json");
        try {
          process.kill((JSON.parse(readFileSync(hubFile, "utf8")) as { pid: number }).pid, "SIGTERM");
        } catch {
          // no remote hub was started
        }
      }
      for (const sshd of daemons) await sshd.stop();
    }
  },
};
