import { readFrom } from "../../src/host/read-range.ts";
import { appendFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { connectAgentSocket } from "../../src/cli/agent-socket.ts";
import { claudeConfigDir } from "../../src/config/claude-config-dir.ts";
import { preToolUseVerdict } from "../../src/core/rules/pre-tool-use.ts";
import { RuleSource } from "../../src/core/rules/rule-source.ts";
import { resolveRealPath } from "../../src/host/real-path.ts";
import { startHookServer } from "../../src/link/hook-server.ts";
import { newSecret, type LaunchSpec } from "../../src/link/launch.ts";
import { runNative } from "../../src/link/native.ts";
import { plain } from "../../src/link/render.ts";
import { openDatabase } from "../../src/store/db.ts";
import { SessionStore } from "../../src/store/sessions.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { startHub } from "./hub.ts";
import { formatTable, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// Native sessions against a real hub (its own process, real agent socket, rules from the
// sandbox's config file). The supervisors are `runNative` itself, in this process, with a
// stand-in for claude: it never exits until the bench ends and its status file always says
// idle. The bench plays claude's part by POSTing its hooks to each supervisor's endpoint,
// so every figure covers the supervisor, the link and the hub, but not claude. Like claude,
// the stand-in appends each prompt and reply to its transcript before the hook says so
// (the supervisor forwards the transcript, and a Stop waits for its reply to be there).

const SESSIONS = 20;
const REQUESTS = 200;
const ROUNDS = 100;
const CPU_SECONDS = 10;
/** Before a CPU window: the hub's garbage collector and JIT settle after the work before it. */
const SETTLE_MS = 5000;
const GOALS = { answerP99Ms: 10, stateP99Ms: 20, hubCpuPercent: 1 };

interface Supervisor {
  name: string;
  transcript: string;
  hookUrl: string;
  hookSecret: string;
  /** Ends the stand-in claude, so runNative flushes, stops its hooks and closes its link. */
  exit(): void;
  done: Promise<number>;
}

interface PublishedView {
  session: string;
  kind: string;
  data: { view: { status: string; linked: boolean } } | null;
}

/** The hub's /api/events, read all the time (so the hub never buffers), with each event's arrival time. */
class EventStream {
  private readonly arrived: { at: number; event: PublishedView }[] = [];
  private wake: (() => void) | null = null;
  private constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  static async open(port: number, token: string): Promise<EventStream> {
    const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`/api/events answered ${response.status}`);
    const stream = new EventStream(response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>);
    void stream.pump();
    return stream;
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await this.reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = buffer.slice(0, end).split("\n").find((line) => line.startsWith("data: "));
        buffer = buffer.slice(end + 2);
        if (data) this.arrived.push({ at, event: JSON.parse(data.slice("data: ".length)) as PublishedView });
      }
      this.wake?.();
    }
  }

  /** When the first event (from now on, in order) that `match` accepts arrived; earlier ones are dropped. */
  async next(match: (event: PublishedView) => boolean, timeoutMs = 10_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      while (this.arrived.length > 0) {
        const { at, event } = this.arrived.shift()!;
        if (match(event)) return at;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error("the awaited event did not come on /api/events");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => (clearTimeout(timer), resolve());
      });
    }
  }

  close(): Promise<void> {
    return this.reader.cancel();
  }
}

const viewOf = (name: string, test: (view: { status: string; linked: boolean }) => boolean) => (event: PublishedView) =>
  event.kind === "view" && event.session === name && event.data !== null && test(event.data.view);

/** Native session records (as `csm create --mode native` leaves them) and their tmux sessions with a live agent pane. */
async function createSessions(sb: Sandbox): Promise<{ name: string; secret: string }[]> {
  const db = openDatabase(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  const store = new SessionStore(db);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => ({ name: `native-${i}`, secret: newSecret() }));
  for (const { name, secret } of sessions) {
    store.insert({
      host: "local", name, repo: null, worktree: sb.paths.root, branch: null, baseRef: null, baseCommit: null,
      createdBranch: false, createdWorktree: false, createdAt: new Date().toISOString(), options: {}, claudeSessionId: null,
      favourite: false, exitStatus: null, exitedAt: null, agentSecret: secret, transport: "native",
    });
    // The hub shows a session whose agent pane is gone as dead, whatever its link says.
    await sb.tmux(["new-session", "-d", "-s", `csm-${name}`, "-n", "agent", "sleep", "3600"]);
  }
  db.close();
  return sessions;
}

function startSupervisor(sb: Sandbox, port: number, name: string, secret: string): Supervisor {
  const claudeSessionId = crypto.randomUUID();
  const spec: LaunchSpec = {
    host: "local", session: name, cwd: sb.paths.root, transport: "native", argv: ["claude", "--session-id", claudeSessionId], env: {},
    agentUrl: `ws://127.0.0.1:${port}/ws/agent/${name}`, secret, hookSettingsFile: join(sb.paths.root, `${name}.settings.json`), userSettings: [],
  };
  const rules = new RuleSource(sb.paths.configFile);
  let exit = () => {};
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => (exit = () => resolve({ code: 0, signal: null })));
  const transcript = join(sb.paths.root, `${claudeSessionId}.jsonl`);
  const supervisor = { name, transcript, hookUrl: "", hookSecret: newSecret(), exit: () => exit() } as Supervisor;
  supervisor.done = runNative(spec, {
    // No process: the pid only goes to the hub in claude_started, and claudeStatus ignores it.
    spawnClaude: () => ({ pid: 1_000_000 + Number(name.split("-")[1]), exited }),
    connect: connectAgentSocket,
    print: () => {},
    palette: plain,
    sleep: (ms) => Bun.sleep(ms),
    serveHooks: async (answer) => {
      const server = startHookServer(supervisor.hookSecret, answer, "/hooks/native");
      supervisor.hookUrl = server.url;
      return { env: {}, stop: () => server.stop() };
    },
    // As `csm native` judges: an allow rule answers at PreToolUse already.
    judgeToolUse: async (call) => preToolUseVerdict(await rules.get(), call, { worktree: spec.cwd, realPath: resolveRealPath, settleAllows: true }),
    typeText: async () => {},
    pressEscape: async () => {},
    // Last changed long ago: never read as an Esc interrupt after a hook.
    claudeStatus: () => ({ status: "idle", updatedAt: 0, waitingFor: null }),
    costUsd: () => null,
    readFrom,
    fileSize: (path) => statSync(path, { throwIfNoEntry: false })?.size ?? 0,
    transcriptPath: transcript,
    flushTimeoutMs: 2000,
  });
  return supervisor;
}

/** What claude writes to its transcript for a prompt or a reply. */
function appendTranscript(supervisor: Supervisor, role: "user" | "assistant", text: string): void {
  const message = role === "user" ? { role, content: text } : { id: `msg_${crypto.randomUUID()}`, model: "bench", role, content: [{ type: "text", text }], stop_reason: "end_turn" };
  appendFileSync(supervisor.transcript, `${JSON.stringify({ type: role, uuid: crypto.randomUUID(), sessionId: "bench", message })}\n`);
}

/** One hook call as claude makes it: JSON, the supervisor's bearer; resolves with its answer. */
async function hook(supervisor: Supervisor, cwd: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(supervisor.hookUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${supervisor.hookSecret}`, "content-type": "application/json" },
    body: JSON.stringify({ session_id: "bench", transcript_path: supervisor.transcript, cwd, permission_mode: "default", ...body }),
  });
  if (!response.ok) throw new Error(`the hook endpoint answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const bashCall = (i: number) => ({ tool_name: "Bash", tool_input: { command: `echo ${i}`, description: `Print ${i}` } });

/** A PreToolUse an allow rule settles: answered by the supervisor alone (it tells the hub after). */
async function preToolUse(supervisor: Supervisor, cwd: string, i: number): Promise<number> {
  const started = performance.now();
  const answer = (await hook(supervisor, cwd, { hook_event_name: "PreToolUse", tool_use_id: `toolu_${i}`, ...bashCall(i) })) as { hookSpecificOutput?: { permissionDecision?: string } };
  const elapsed = performance.now() - started;
  if (answer.hookSpecificOutput?.permissionDecision !== "allow") throw new Error(`PreToolUse for echo ${i} was answered ${JSON.stringify(answer)}`);
  return elapsed;
}

/** A PermissionRequest: the supervisor asks the hub over the link, the hub's rules answer. */
async function permissionRequest(supervisor: Supervisor, cwd: string, i: number): Promise<number> {
  const started = performance.now();
  const answer = (await hook(supervisor, cwd, { hook_event_name: "PermissionRequest", permission_suggestions: [], ...bashCall(i) })) as {
    hookSpecificOutput?: { decision?: { behavior?: string } };
  };
  const elapsed = performance.now() - started;
  if (answer.hookSpecificOutput?.decision?.behavior !== "allow") throw new Error(`PermissionRequest for echo ${i} was answered ${JSON.stringify(answer)}`);
  return elapsed;
}

/** A prompt (→ working) and the turn's end (→ idle), each timed from the POST to the view on /api/events. */
async function stateRound(supervisor: Supervisor, events: EventStream, cwd: string, i: number): Promise<[number, number]> {
  appendTranscript(supervisor, "user", `round ${i}`);
  let started = performance.now();
  let posted = hook(supervisor, cwd, { hook_event_name: "UserPromptSubmit", prompt: `round ${i}` });
  const working = (await events.next(viewOf(supervisor.name, (view) => view.status === "working"))) - started;
  await posted;
  appendTranscript(supervisor, "assistant", `done ${i}`);
  started = performance.now();
  posted = hook(supervisor, cwd, { hook_event_name: "Stop", stop_hook_active: false, last_assistant_message: `done ${i}` });
  const idle = (await events.next(viewOf(supervisor.name, (view) => view.status === "idle"))) - started;
  await posted;
  return [working, idle];
}

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const verdict = (value: number, goal: number) => [`${(value / goal).toFixed(2)}×`, value <= goal ? "met" : "MISSED"];
const latencyRow = (label: string, samples: number[], goalMs: number | null) => [
  label,
  ms(percentile(samples, 0.5)),
  ms(percentile(samples, 0.99)),
  ms(Math.max(...samples)),
  ...(goalMs === null ? ["", "", ""] : [`p99 ≤ ${goalMs} ms`, ...verdict(percentile(samples, 0.99), goalMs)]),
];

const percent = (value: number) => `${value.toFixed(2)} %`;

/** Percent of one core the hub (and this process) used over CPU_SECONDS, after SETTLE_MS of quiet. */
async function idleCpu(hubPid: number): Promise<{ hub: number; bench: number }> {
  await Bun.sleep(SETTLE_MS);
  const hubBefore = cpuSeconds(hubPid);
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  await Bun.sleep(CPU_SECONDS * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const bench = process.cpuUsage(benchBefore);
  return { hub: ((cpuSeconds(hubPid) - hubBefore) / elapsed) * 100, bench: ((bench.user + bench.system) / 1e6 / elapsed) * 100 };
}

async function measure(): Promise<string> {
  await using sb = await makeSandbox();
  await sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "echo *", action: "allow" }] });
  // As on a machine where claude has run: the hub's conversation indexer watches projects/
  // (without it, it rescans every few seconds, which is not what an idle hub costs).
  mkdirSync(join(claudeConfigDir(sb.env), "projects"), { recursive: true });
  const sessions = await createSessions(sb);
  const hub = await startHub(sb, 0);
  const supervisors: Supervisor[] = [];
  let events: EventStream | null = null;
  try {
    events = await EventStream.open(hub.port, hub.token);
    for (const { name, secret } of sessions) {
      supervisors.push(startSupervisor(sb, hub.port, name, secret));
      // Linked, and claude's status file read: the session shows idle.
      await events.next(viewOf(name, (view) => view.linked && view.status === "idle"));
    }
    const first = supervisors[0]!;
    const cwd = sb.paths.root;

    for (let i = 0; i < 20; i++) {
      await preToolUse(first, cwd, -1 - i);
      await permissionRequest(first, cwd, -1 - i);
    }
    const settled: number[] = [];
    for (let i = 0; i < REQUESTS; i++) settled.push(await preToolUse(first, cwd, i));
    const asked: number[] = [];
    for (let i = 0; i < REQUESTS; i++) asked.push(await permissionRequest(first, cwd, i));

    for (let i = 0; i < 5; i++) await stateRound(first, events, cwd, -1 - i);
    const working: number[] = [];
    const idle: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const [toWorking, toIdle] = await stateRound(first, events, cwd, i);
      working.push(toWorking);
      idle.push(toIdle);
    }

    const linked = await idleCpu(hub.pid);
    // The same hub with every supervisor gone: what the hub costs idle without them.
    for (const supervisor of supervisors) supervisor.exit();
    await Promise.all(supervisors.map((supervisor) => supervisor.done));
    const alone = await idleCpu(hub.pid);

    return [
      "set-up: a real hub (own process, sandbox HOME/XDG) and runNative in-process with a stand-in claude (not `csm native` with the real claude), linked over the hub's agent socket;",
      "the bench POSTs claude's hooks to each supervisor's /hooks/native with its bearer; rule: Bash `echo *` allow",
      "",
      formatTable(
        ["figure", "p50", "p99", "max", "goal", "ratio", "verdict"],
        [
          latencyRow(`PermissionRequest → hub's rule allows → hook answer at claude, ${REQUESTS} requests`, asked, GOALS.answerP99Ms),
          latencyRow(`  PreToolUse settled by the allow rule in the supervisor (no dialog, no hub), ${REQUESTS} calls`, settled, null),
          latencyRow(`UserPromptSubmit → "working" on /api/events, ${ROUNDS} rounds`, working, GOALS.stateP99Ms),
          latencyRow(`Stop → "idle" on /api/events, ${ROUNDS} rounds`, idle, GOALS.stateP99Ms),
        ],
      ),
      "",
      formatTable(
        ["figure", "% of one core", "goal", "ratio", "verdict"],
        [
          [`hub CPU, ${SESSIONS} idle native sessions linked, ${CPU_SECONDS} s (/proc stat utime+stime)`, percent(linked.hub), `≤ ${GOALS.hubCpuPercent} %`, ...verdict(linked.hub, GOALS.hubCpuPercent)],
          [`  the same hub after the ${SESSIONS} supervisors ended (its own idle cost)`, percent(alone.hub), "", "", ""],
          [`  the ${SESSIONS} supervisors, all in the bench process, meanwhile`, percent(linked.bench), "", "", ""],
        ],
      ),
    ].join("\n");
  } finally {
    for (const supervisor of supervisors) supervisor.exit();
    await Promise.all(supervisors.map((supervisor) => supervisor.done.catch(() => undefined)));
    await events?.close().catch(() => undefined);
    await hub.stop();
  }
}

export const nativeSection: BenchSection = {
  name: "native",
  title: `native sessions: rule-decided PermissionRequest answer (goal p99 ≤ ${GOALS.answerP99Ms} ms), hook → state on /api/events (goal p99 ≤ ${GOALS.stateP99Ms} ms), hub CPU with ${SESSIONS} idle (goal ≤ ${GOALS.hubCpuPercent} %)`,
  run: measure,
};
