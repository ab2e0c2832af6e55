import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic, type FakeAnthropic } from "../fixtures/fake-anthropic.ts";
import {
  makeCompactedSession,
  makeKilledMidTool,
  makePrintSession,
  makeRenamedSession,
  makeSubagentSession,
  startInteractiveSession,
  type CompactedSession,
  type KilledSession,
  type LiveSession,
  type PrintSession,
  type RenamedSession,
  type SubagentSession,
} from "../helpers/claude-transcripts.ts";
import { csmJsonIn } from "../helpers/csm-json.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// The index over transcripts the real claude wrote (test/helpers/claude-transcripts.ts):
// -p with a tool call, /rename, /compact, a sub-agent, one killed mid-tool, and a claude
// still running on its own screen. What csm history, search and info say about each.

setDefaultTimeout(120_000);

let sb: Sandbox;
let api: FakeAnthropic;
let env: Record<string, string>;
let printed: PrintSession;
let renamed: RenamedSession;
let compacted: CompactedSession;
let delegated: SubagentSession;
let killed: KilledSession;
let running: LiveSession;

interface Record_ {
  id: string;
  title: string;
  state: string;
  turns: number;
  cwd: string;
  pid: number | null;
  subagents: number;
  lastActiveAt: string;
}

beforeAll(async () => {
  sb = await makeSandbox();
  api = await startFakeAnthropic();
  const root = join(sb.paths.root, "claude-root");
  // One at a time: each scenario queues exactly the replies it uses.
  printed = await makePrintSession({ root, api, cwd: join(root, "print") });
  renamed = await makeRenamedSession({ root, api, cwd: join(root, "renamed") });
  compacted = await makeCompactedSession({ root, api, cwd: join(root, "compacted") });
  delegated = await makeSubagentSession({ root, api, cwd: join(root, "delegated") });
  killed = await makeKilledMidTool({ root, api, cwd: join(root, "killed") });
  running = await startInteractiveSession({ root, api, cwd: join(root, "screen"), aiTitle: false });
  env = { ...sb.env, CLAUDE_CONFIG_DIR: printed.configDir };
});

afterAll(async () => {
  await running?.stop();
  await api?.stop();
  await sb?.dispose();
});

const csmJson = <T>(args: string[]) => csmJsonIn(sb, env)<T>(args);

test("history lists every conversation newest first, with titles, turns and states", async () => {
  const records = await csmJson<Record_[]>(["history"]);
  expect(records.map((r) => r.id).sort()).toEqual([printed, renamed, compacted, delegated, killed, running].map((c) => c.sessionId).sort());
  const sorted = [...records].sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt));
  expect(records.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
  const byId = new Map(records.map((r) => [r.id, r]));
  expect(byId.get(printed.sessionId)).toMatchObject({ title: printed.prompt, turns: 1, state: "transcript", cwd: printed.cwd });
  expect(byId.get(renamed.sessionId)).toMatchObject({ title: renamed.customTitle, turns: 1 });
  // /compact is a slash command, not a prompt: the prompt before it and the one after.
  expect(byId.get(compacted.sessionId)).toMatchObject({ turns: 2 });
  expect(byId.get(delegated.sessionId)).toMatchObject({ subagents: 1, turns: 1 });
  // Left behind by a SIGKILL, its sessions/<pid>.json names a pid that is gone: not live.
  expect(byId.get(killed.sessionId)).toMatchObject({ state: "transcript" });
  expect(byId.get(running.sessionId)).toMatchObject({ state: "live", pid: running.pid, pidElsewhere: false, title: running.prompt });

  const limited = await csmJson<Record_[]>(["history", "--limit", "2"]);
  expect(limited.map((r) => r.id)).toEqual(records.slice(0, 2).map((r) => r.id));
  const project = await csmJson<Record_[]>(["history", "--project", renamed.cwd]);
  expect(project.map((r) => r.id)).toEqual([renamed.sessionId]);
  expect(await csmJson<Record_[]>(["history", "--since", "2000-01-01"])).toHaveLength(6);
});

test("info: the forensics of a compaction, a sub-agent, a kill mid-tool, a live claude", async () => {
  const compactInfo = await csmJson<Record<string, unknown>>(["info", compacted.sessionId.slice(0, 8)]);
  expect(compactInfo).toMatchObject({ id: compacted.sessionId, compactions: 1, turns: 2, firstPrompt: compacted.prompt });
  expect(compactInfo.version).toBe("2.1.330");
  expect((compactInfo.models as string[]).length).toBeGreaterThan(0);

  const killedInfo = await csmJson<{ lastToolUse: { name: string; input: string; answered: boolean }; ending: string }>(["info", killed.sessionId]);
  expect(killedInfo.lastToolUse).toMatchObject({ name: "Bash", input: killed.command, answered: false });
  expect(killedInfo.ending).toBe(`ended while running Bash ${killed.command}`);

  const printInfo = await csmJson<{ lastToolUse: { answered: boolean }; ending: string; outputTokens: number }>(["info", printed.sessionId]);
  expect(printInfo.lastToolUse.answered).toBe(true);
  expect(printInfo.ending).toBe("ended after a reply");
  expect(printInfo.outputTokens).toBeGreaterThan(0);

  expect(await csmJson<Record<string, unknown>>(["info", renamed.customTitle])).toMatchObject({ id: renamed.sessionId, customTitle: renamed.customTitle });
  expect(await csmJson<Record<string, unknown>>(["info", delegated.sessionId])).toMatchObject({ subagents: 1 });
  expect(await csmJson<Record<string, unknown>>(["info", running.sessionId])).toMatchObject({ state: "live", pid: running.pid, ending: `running (claude pid ${running.pid})` });

  const table = await sb.csm(["info", killed.sessionId], { env });
  expect(table.stdout).toContain("(no result)");
});

test("search finds prompts, replies and tool calls, ranked, with the hit marked", async () => {
  const hits = await csmJson<{ id: string; snippet: string }[]>(["search", "fixture-tool-output"]);
  expect(hits.map((h) => h.id)).toEqual([printed.sessionId]);
  expect(hits[0]!.snippet).toContain("\x02");
  const reply = await csmJson<{ id: string }[]>(["search", "sub-agent", "found"]);
  expect(reply.map((h) => h.id)).toEqual([delegated.sessionId]);
  // Tool calls are found by their input.
  expect((await csmJson<{ id: string }[]>(["search", "sleep"])).map((h) => h.id)).toEqual([killed.sessionId]);
  // Sub-agents' own text is not the parent's conversation.
  const subagentText = await sb.csm(["search", "no", "files", "there", "are", "--json"], { env });
  expect([subagentText.code, JSON.parse(subagentText.stdout)]).toEqual([1, []]);
  const plain = await sb.csm(["search", "fixture-tool-output"], { env });
  expect(plain.stdout).toContain("[fixture-tool-output]");
  const none = await sb.csm(["search", "zebra-unicorn-nowhere"], { env });
  expect(none.code).toBe(1);
});

test("a claude in another PID namespace (a container sharing the config dir) holds its conversation: shown so, never resumed without --force", async () => {
  const file = join(printed.configDir, "sessions", "999999991.json");
  writeFileSync(file, JSON.stringify({ pid: 999999991, sessionId: killed.sessionId, procStart: "1", pidDomain: "linux:another-machine:pid:[4026532000]" }));
  try {
    const info = await csmJson<Record<string, unknown>>(["info", killed.sessionId]);
    expect(info).toMatchObject({ state: "live", pid: 999999991, pidElsewhere: true, ending: "running (claude pid 999999991 in another PID namespace, which cannot be checked from here)" });
    const refused = await sb.csm(["resume", killed.sessionId], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("pid 999999991 in another PID namespace");
    expect(refused.stderr).toContain(`remove ${file} or pass --force`);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
  } finally {
    rmSync(file);
  }
});

test("a conversation a live claude holds is not resumed without --force", async () => {
  const refused = await sb.csm(["resume", running.sessionId], { env });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`open in a claude outside csm (pid ${running.pid})`);
  expect(refused.stderr.trim().split("\n")).toHaveLength(1);
});
