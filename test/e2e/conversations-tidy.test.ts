import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic, type FakeAnthropic } from "../fixtures/fake-anthropic.ts";
import { CLAUDE_BIN, makePrintSession, makeRenamedSession, type PrintSession, type RenamedSession } from "../helpers/claude-transcripts.ts";
import { csmJsonIn } from "../helpers/csm-json.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// gc, prune, trash and restore over transcripts the real claude wrote: husks left by slash
// commands run with -p, a conversation with a prompt and a reply, a named one. Nothing is
// removed without --apply, everything removed goes to the trash, and comes back byte for byte.

setDefaultTimeout(120_000);

let sb: Sandbox;
let api: FakeAnthropic;
let env: Record<string, string>;
let talk: PrintSession;
let named: RenamedSession;
const husks: { id: string; path: string }[] = [];

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(async () => {
  sb = await makeSandbox();
  api = await startFakeAnthropic();
  const root = join(sb.paths.root, "claude-root");
  talk = await makePrintSession({ root, api, cwd: join(root, "talk") });
  named = await makeRenamedSession({ root, api, cwd: join(root, "named") });
  const dir = join(root, "slash");
  mkdirSync(dir);
  const claudeEnv = { ...prepareClaudeEnv({ root, apiUrl: api.url, projectDir: dir }), CLAUDE_CONFIG_DIR: talk.configDir };
  // Slash commands run with -p: each leaves a conversation with nothing said in it.
  for (const command of ["/cost", "/clear"]) {
    const run = Bun.spawn([CLAUDE_BIN, "-p", command], { cwd: dir, env: claudeEnv, stdout: "pipe", stderr: "pipe" });
    expect(await run.exited).toBe(0);
  }
  env = { ...sb.env, CLAUDE_CONFIG_DIR: talk.configDir };
  const listed = JSON.parse((await sb.csm(["history", "--json"], { env })).stdout) as { id: string; path: string; turns: number }[];
  husks.push(...listed.filter((r) => r.turns === 0).map(({ id, path }) => ({ id, path })));
});

afterAll(async () => {
  await api?.stop();
  await sb?.dispose();
});

const csmJson = <T>(args: string[]) => csmJsonIn(sb, env)<T>(args);

test("gc lists the husks with the rule that matched, moves nothing until --apply, then moves them to the trash; restore brings one back byte for byte", async () => {
  expect(husks).toHaveLength(2);
  const plan = await csmJson<{ id: string; reason: string; sizeBytes: number }[]>(["gc"]);
  expect(plan.map((c) => c.id).sort()).toEqual(husks.map((h) => h.id).sort());
  expect(new Set(plan.map((c) => c.reason))).toEqual(new Set(["husk: only local commands"]));
  for (const husk of husks) expect(existsSync(husk.path)).toBe(true);
  const text = await sb.csm(["gc"], { env });
  expect(text.stdout).toContain("nothing moved (dry run): add --apply");

  const checksums = new Map(husks.map((h) => [h.id, sha(h.path)]));
  const applied = await csmJson<{ moved: { id: string; sha256: string; reason: string }[]; skipped: unknown[] }>(["gc", "--apply"]);
  expect(applied.moved.map((m) => m.id).sort()).toEqual(husks.map((h) => h.id).sort());
  expect(applied.skipped).toEqual([]);
  for (const husk of husks) expect(existsSync(husk.path)).toBe(false);
  for (const moved of applied.moved) expect(moved.sha256).toBe(checksums.get(moved.id)!);
  // The conversations people had are untouched and still listed.
  expect(existsSync(talk.transcriptPath) && existsSync(named.transcriptPath)).toBe(true);
  expect((await csmJson<{ id: string }[]>(["history"])).map((r) => r.id).sort()).toEqual([talk.sessionId, named.sessionId].sort());

  const trash = await csmJson<{ id: string; reason: string; transcript: string }[]>(["trash"]);
  expect(trash.map((e) => e.id).sort()).toEqual(husks.map((h) => h.id).sort());
  expect(trash[0]!.transcript).toMatch(/^projects\/[^/]+\/[0-9a-f-]{36}\.jsonl$/);

  const [first] = husks;
  const restored = await sb.csm(["restore", first!.id.slice(0, 8)], { env });
  expect(restored.code).toBe(0);
  expect(sha(first!.path)).toBe(checksums.get(first!.id)!);
  expect((await csmJson<{ id: string }[]>(["trash"])).map((e) => e.id)).toEqual([husks[1]!.id]);

  // Something at the original path again: restore refuses and leaves the trash as it is.
  writeFileSync(husks[1]!.path, "a new file here\n");
  const refused = await sb.csm(["restore", husks[1]!.id], { env });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("exists again");
  expect(readFileSync(husks[1]!.path, "utf8")).toBe("a new file here\n");
  rmSync(husks[1]!.path);

  const unknown = await sb.csm(["restore", "../../etc/passwd"], { env });
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("nothing in the trash matches");

  const emptyPlan = await sb.csm(["trash", "empty"], { env });
  expect(emptyPlan.stdout).toContain("1 would be deleted for good; nothing deleted (dry run)");
  expect(await csmJson<unknown[]>(["trash"])).toHaveLength(1);
  expect((await csmJson<{ deleted: boolean }>(["trash", "empty", "--apply"])).deleted).toBe(true);
  expect(await csmJson<unknown[]>(["trash"])).toEqual([]);
});

test("prune: unnamed conversations idle N days or more by their last record, never a named one", async () => {
  const daysAgo = (path: string, days: number) => {
    const old = new Date(Date.now() - days * 86_400_000);
    const text = readFileSync(path, "utf8").replace(/"timestamp":"[^"]+"/g, `"timestamp":"${old.toISOString()}"`);
    writeFileSync(path, text);
    utimesSync(path, old, old);
  };
  daysAgo(talk.transcriptPath, 30);
  daysAgo(named.transcriptPath, 90);
  const plan = await csmJson<{ id: string; reason: string }[]>(["prune", "--days", "30"]);
  expect(plan).toEqual([expect.objectContaining({ id: talk.sessionId, reason: "idle 30 days (unnamed)" })]);
  expect(await csmJson<unknown[]>(["prune", "--days", "31"])).toEqual([]);
  const bad = await sb.csm(["prune", "--days", "0"], { env });
  expect(bad.code).toBe(2);
  const applied = await csmJson<{ moved: unknown[]; skipped: { reason: string }[] }>(["prune", "--days", "30", "--apply"]);
  expect(applied.moved).toHaveLength(1);
  expect(existsSync(talk.transcriptPath)).toBe(false);
  expect((await sb.csm(["restore", talk.sessionId], { env })).code).toBe(0);
  expect(existsSync(talk.transcriptPath)).toBe(true);
});

test("a trash that cannot be written fails before anything moves", async () => {
  const dataHome = join(sb.paths.root, "blocked-data");
  mkdirSync(join(dataHome, "csm"), { recursive: true });
  writeFileSync(join(dataHome, "csm", "trash"), "a file where the trash directory should be");
  const blockedEnv = { ...env, XDG_DATA_HOME: dataHome };
  const before = JSON.parse((await sb.csm(["prune", "--days", "1", "--json"], { env: blockedEnv })).stdout) as unknown[];
  expect(before.length).toBeGreaterThan(0);
  const failed = await sb.csm(["prune", "--days", "1", "--apply"], { env: blockedEnv });
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain("cannot be written");
  expect(failed.stderr).toContain("nothing was moved");
  expect(existsSync(talk.transcriptPath) && existsSync(named.transcriptPath)).toBe(true);
});
