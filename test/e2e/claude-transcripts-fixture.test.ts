import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownPidDomain } from "../../src/adapters/claude-files.ts";
import { startFakeAnthropic, type FakeAnthropic } from "../fixtures/fake-anthropic.ts";
import {
  makeCompactedSession,
  makeKilledMidTool,
  makePrintSession,
  makeRenamedSession,
  makeSubagentSession,
  readTranscript,
  recordsOf,
  startInteractiveSession,
  type TranscriptRecord,
} from "../helpers/claude-transcripts.ts";

// The transcript fixtures, made by the real claude: if a new claude writes different records,
// these fail before the index tests built on them do. Facts: test/fixtures/claude-transcript-facts.md.

setDefaultTimeout(40_000);

async function withClaude(body: (root: string, api: FakeAnthropic) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "csm-transcripts-"));
  const api = await startFakeAnthropic();
  try {
    await body(root, api);
  } finally {
    await api.stop();
    await rm(root, { recursive: true, force: true });
  }
}

type Block = { type: string; id?: string; tool_use_id?: string; text?: string; name?: string };
/** A record's content blocks; a prompt typed as plain text has none. */
const contentBlocks = (record: TranscriptRecord): Block[] => {
  const content = (record.message as { content?: unknown } | undefined)?.content;
  return Array.isArray(content) ? (content as Block[]) : [];
};

test("-p session: prompt, Bash tool_use, tool_result, text reply", () =>
  withClaude(async (root, api) => {
    const made = await makePrintSession({ root, api });
    const records = readTranscript(made.transcriptPath);
    expect(made.transcriptPath).toBe(join(made.configDir, "projects", made.cwd.replace(/[^a-zA-Z0-9]/g, "-"), `${made.sessionId}.jsonl`));
    const prompt = recordsOf(records, "user").find((record) => (record.message as { content: unknown }).content === made.prompt);
    expect(prompt).toMatchObject({ parentUuid: null, sessionId: made.sessionId, cwd: made.cwd, version: "2.1.330", promptSource: "sdk" });
    const assistants = recordsOf(records, "assistant");
    expect(assistants.flatMap(contentBlocks)).toContainEqual(expect.objectContaining({ type: "tool_use", id: made.toolUseId, name: "Bash" }));
    expect(assistants.flatMap(contentBlocks)).toContainEqual({ type: "text", text: made.reply });
    const result = recordsOf(records, "user").flatMap(contentBlocks).find((block) => block.type === "tool_result");
    expect(result).toMatchObject({ tool_use_id: made.toolUseId, content: made.toolOutput, is_error: false });
    expect(recordsOf(records, "last-prompt").at(-1)).toMatchObject({ lastPrompt: made.prompt });
    expect(recordsOf(records, "ai-title")).toEqual([]);
  }));

test("/rename through -p --resume writes custom-title, agent-name and custom-title.json", () =>
  withClaude(async (root, api) => {
    const made = await makeRenamedSession({ root, api });
    const records = readTranscript(made.transcriptPath);
    expect(recordsOf(records, "custom-title")).toContainEqual({ type: "custom-title", customTitle: made.customTitle, sessionId: made.sessionId });
    expect(recordsOf(records, "agent-name")).toContainEqual({ type: "agent-name", agentName: made.customTitle, sessionId: made.sessionId });
    expect(JSON.parse(readFileSync(made.customTitleJsonPath, "utf8"))).toEqual({ customTitle: made.customTitle });
  }));

test("/compact writes a compact_boundary, then the summary as a user record", () =>
  withClaude(async (root, api) => {
    const made = await makeCompactedSession({ root, api });
    const records = readTranscript(made.transcriptPath);
    const boundary = recordsOf(records, "system", "compact_boundary");
    expect(boundary).toHaveLength(1);
    expect(boundary[0]).toMatchObject({ parentUuid: null, content: "Conversation compacted", compactMetadata: { trigger: "manual" } });
    expect(typeof boundary[0]!.logicalParentUuid).toBe("string");
    const summary = records.find((record) => record.isCompactSummary === true)!;
    expect(summary).toMatchObject({ type: "user", parentUuid: boundary[0]!.uuid });
    expect(String((summary.message as { content: string }).content)).toContain(made.summary);
    expect(recordsOf(records, "assistant").flatMap(contentBlocks)).toContainEqual({ type: "text", text: made.replyAfter });
  }));

test("an Agent tool_use makes <id>/subagents/agent-<agentId>.jsonl with sidechain records", () =>
  withClaude(async (root, api) => {
    const made = await makeSubagentSession({ root, api });
    const sub = readTranscript(made.subagentTranscriptPath);
    expect(recordsOf(sub, "user")[0]).toMatchObject({
      isSidechain: true,
      agentId: made.agentId,
      sessionId: made.sessionId,
      message: { role: "user", content: made.agentPrompt },
    });
    expect(recordsOf(sub, "assistant").flatMap(contentBlocks)).toContainEqual({ type: "text", text: made.agentReply });
    expect(JSON.parse(readFileSync(made.subagentMetaPath, "utf8"))).toMatchObject({
      agentType: made.agentType,
      description: made.description,
      toolUseId: made.toolUseId,
    });
    const parent = readTranscript(made.transcriptPath);
    const result = recordsOf(parent, "user").find((record) => contentBlocks(record).some((block) => block.tool_use_id === made.toolUseId));
    expect(result?.toolUseResult).toMatchObject({ status: "completed", agentId: made.agentId, agentType: made.agentType });
    expect(parent.every((record) => record.isSidechain !== true)).toBe(true);
  }));

test("claude killed mid-tool: the transcript ends inside the call and the session file stays", () =>
  withClaude(async (root, api) => {
    const made = await makeKilledMidTool({ root, api });
    expect(existsSync(`/proc/${made.pid}`)).toBe(false);
    const records = readTranscript(made.transcriptPath);
    const conversation = records.filter((record) => ["user", "assistant", "system"].includes(record.type));
    expect(contentBlocks(conversation.at(-1)!)).toContainEqual(expect.objectContaining({ type: "tool_use", id: made.toolUseId }));
    expect(recordsOf(records, "user").flatMap(contentBlocks).some((block) => block.type === "tool_result")).toBe(false);
    expect(JSON.parse(readFileSync(made.sessionFilePath, "utf8"))).toMatchObject({ pid: made.pid, sessionId: made.sessionId, status: "busy" });
  }));

test("interactive claude: sessions/<pid>.json while it runs, history.jsonl, ai-title; gone after stop", () =>
  withClaude(async (root, api) => {
    const live = await startInteractiveSession({ root, api });
    try {
      expect(existsSync(`/proc/${live.pid}`)).toBe(true);
      expect(live.busySessionFile).toMatchObject({ pid: live.pid, sessionId: live.sessionId, cwd: live.cwd, status: "busy", kind: "interactive", entrypoint: "cli" });
      expect(live.idleSessionFile).toMatchObject({ status: "idle", procStart: live.procStart, version: "2.1.330" });
      // The namespace its pid means something in, spelt as csm spells this one's: equal here.
      expect(live.idleSessionFile.pidDomain).toBe(ownPidDomain());
      expect(live.idleSessionFile.tmux).toMatch(/^claude:@\d+\.%\d+$/);
      expect(live.idleSessionFile.messagingSocketPath).toBe(join(root, "run", "cc-socks", `${live.pid}.sock`));
      const history = readFileSync(live.historyPath, "utf8").trim().split("\n").map((line) => JSON.parse(line));
      expect(history).toContainEqual({ display: live.prompt, pastedContents: {}, timestamp: expect.any(Number), project: live.cwd, sessionId: live.sessionId });
      const records = readTranscript(live.transcriptPath);
      expect(recordsOf(records, "ai-title")).toContainEqual({ type: "ai-title", aiTitle: live.aiTitle, sessionId: live.sessionId });
      expect(recordsOf(records, "user")[0]).toMatchObject({ promptSource: "typed", entrypoint: "cli", message: { content: live.prompt } });
    } finally {
      await live.stop();
    }
    expect(existsSync(`/proc/${live.pid}`)).toBe(false);
    expect(existsSync(live.sessionFilePath)).toBe(false);
  }));
