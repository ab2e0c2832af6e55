import { expect } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic, textReply, type FakeAnthropic } from "../fixtures/fake-anthropic.ts";
import { makeSandbox, processAlive, PROJECT_ROOT, type Sandbox } from "./sandbox.ts";
import { createSession } from "./sessions.ts";

// A sandbox for tests of the live link: the real claude binary (the devDependency)
// talking to the fake Anthropic API, and the csm hub's API at hand.

export const REAL_CLAUDE = join(PROJECT_ROOT, "node_modules", ".bin", "claude");

export interface LiveSession {
  name: string;
  status: string;
  statusReason: string | null;
  claudeSessionId: string | null;
  model: string | null;
  turns: number;
  costUsd: number;
  lastMessage: string | null;
  pendingApprovals: number;
  linked: boolean;
  transport: string | null;
  permissionMode: string | null;
  guarded: boolean;
  pending?: { requestId: string; toolName: string; input: Record<string, unknown> }[];
}

export interface LiveSandbox extends AsyncDisposable {
  sb: Sandbox;
  fake: FakeAnthropic;
  repo: string;
  /** The environment `csm create` runs with, so claude reaches the fake API. */
  claudeEnv: Record<string, string>;
  create(name: string, args?: string[]): Promise<void>;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  session(name: string): Promise<LiveSession>;
  waitForSession(name: string, what: string, predicate: (s: LiveSession) => boolean, timeoutMs?: number): Promise<LiveSession>;
  hubPid(): number;
  /** kill -9 of the hub, once it is gone; returns its pid. */
  killHub(): Promise<number>;
}

/** A stored event as `GET /api/sessions/:name/events` gives it. */
export interface StoredEvent {
  seq: number;
  kind: string;
  data: { type?: string; uuid?: string; event?: string };
}

/** The log of one turn that lived through a hub's death: in order, nothing twice, one reply and one result. */
export function expectOneTurnStoredOnce(events: StoredEvent[]): void {
  expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
  const uuids = events.map((e) => e.data.uuid).filter((uuid): uuid is string => typeof uuid === "string");
  expect(new Set(uuids).size).toBe(uuids.length);
  const kinds = events.filter((e) => e.kind !== "link").map((e) => e.data.type);
  expect(kinds.filter((type) => type === "result")).toHaveLength(1);
  expect(kinds.filter((type) => type === "assistant")).toHaveLength(1);
  expect(kinds.indexOf("user")).toBeLessThan(kinds.indexOf("assistant"));
  expect(kinds.indexOf("assistant")).toBeLessThan(kinds.indexOf("result"));
  expect(events.filter((e) => e.data.event === "claude_started")).toHaveLength(1);
}

export async function makeLiveSandbox(): Promise<LiveSandbox> {
  const sb = await makeSandbox();
  const fake = await startFakeAnthropic();
  const repo = await sb.makeRepo("app");
  const { HOME: _home, ...claudeEnv } = prepareClaudeEnv({ root: join(sb.paths.root, "claude"), apiUrl: fake.url, projectDir: repo });
  const createEnv = { ...claudeEnv, CSM_CLAUDE_BIN: REAL_CLAUDE, CLAUDE_CODE_MAX_RETRIES: "0" };
  const token = () => readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  const port = () => (JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { port: number }).port;

  const live: LiveSandbox = {
    sb,
    fake,
    repo,
    claudeEnv: createEnv,
    async create(name, args = []) {
      await createSession(sb, name, repo, args, { env: createEnv });
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`http://127.0.0.1:${port()}${path}`, {
        method,
        headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async session(name) {
      const { status, body } = await live.api<LiveSession>("GET", `/api/sessions/${name}`);
      if (status !== 200) throw new Error(`GET /api/sessions/${name}: ${status} ${JSON.stringify(body)}`);
      return body;
    },
    waitForSession(name, what, predicate, timeoutMs = 20_000) {
      let last: LiveSession | undefined;
      return sb
        .waitFor(
          async () => {
            last = await live.session(name);
            return predicate(last) ? last : undefined;
          },
          { what: `${name}: ${what}`, timeoutMs },
        )
        .catch((error: Error) => {
          throw new Error(`${error.message}; last seen: ${JSON.stringify(last)}`);
        });
    },
    hubPid: () => (JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { pid: number }).pid,
    async killHub() {
      const pid = live.hubPid();
      process.kill(pid, "SIGKILL");
      await sb.waitFor(() => !processAlive(pid), { what: "the killed hub to be gone" });
      return pid;
    },
    async [Symbol.asyncDispose]() {
      await sb.dispose();
      await fake.stop();
    },
  };
  return live;
}

/**
 * A conversation started by hand, without csm: the real claude `-p PROMPT` in a new directory
 * `<sandbox>/<dirName>`, the fake API answering `reply`. Returns the directory.
 */
export async function conversationByHand(live: LiveSandbox, dirName: string, prompt: string, reply: string): Promise<string> {
  const dir = join(live.sb.paths.root, dirName);
  mkdirSync(dir);
  live.fake.reply(textReply(reply));
  const claude = Bun.spawn([REAL_CLAUDE, "-p", prompt], { cwd: dir, env: live.claudeEnv, stdout: "pipe", stderr: "pipe" });
  expect(await claude.exited).toBe(0);
  return dir;
}
