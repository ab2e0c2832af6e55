import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real transcripts are messy; a bad line never hides its conversation. What was skipped and
// why is counted, and `csm history --stats` says it; a user's reference is data, never a path.
setDefaultTimeout(60_000);

const line = (record: unknown) => `${JSON.stringify(record)}\n`;
const ID = "5d1e0c2a-0000-4000-8000-000000000001";

/** A claude config dir of the test's own, with one project directory in it. */
function claudeConfigIn(root: string) {
  const config = join(root, "claude");
  const project = join(config, "projects", "-src-app");
  mkdirSync(project, { recursive: true });
  return { config, project, env: { CLAUDE_CONFIG_DIR: config } };
}

test("a transcript with broken, unknown, oversized and half-written lines is listed and searched; --stats counts each skip and names what could not be read", async () => {
  await using sb = await makeSandbox();
  const { project, env } = claudeConfigIn(sb.paths.root);
  const pasted = `${JSON.stringify({ type: "user", message: { role: "user", content: "x".repeat(50 * 1024 * 1024) }, timestamp: "2026-11-30T10:00:01.000Z" })}\n`;
  writeFileSync(
    join(project, `${ID}.jsonl`),
    line({ type: "user", message: { role: "user", content: "find the walrus bug" }, timestamp: "2026-11-30T10:00:00.000Z", cwd: "/src/app", sessionId: ID }) +
      "{ this is not json\n" +
      line({ type: "hologram-from-a-newer-claude", timestamp: "2026-11-30T10:00:00.500Z" }) +
      pasted +
      line({ type: "assistant", message: { role: "assistant", content: [{ type: "text", text: "The walrus bug is in the parser." }] }, timestamp: "2026-11-30T10:00:02.000Z" }) +
      '{"type":"user","message":{"role":"user","content":"half wri',
  );
  symlinkSync(join(project, "loop.jsonl"), join(project, "loop.jsonl"));

  const listed = await sb.csm(["history", "--json"], { env });
  expect(listed).toMatchObject({ code: 0, stderr: "" });
  expect(JSON.parse(listed.stdout)).toMatchObject([{ id: ID, title: "find the walrus bug", turns: 1, lastActiveAt: "2026-11-30T10:00:02.000Z" }]);
  const found = await sb.csm(["search", "walrus parser"], { env });
  expect(found.code).toBe(0);
  expect(found.stdout).toContain(ID.slice(0, 8));

  const stats = await sb.csm(["history", "--stats"], { env });
  expect(stats.code).toBe(0);
  const lines = stats.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^1 transcripts, 52\.\d MB, \d+ text rows indexed$/);
  expect(lines[1]).toMatch(/^last refreshed: 20\d\d-/);
  expect(lines[2]!.replace(/^skipped lines: /, "").split(", ").sort()).toEqual(["invalid-json 1", "oversized-line 1", "partial-last-line 1", "unknown-record 1"]);
  expect(lines.slice(3)).toEqual([`unreadable: ${join(project, "loop.jsonl")}: ELOOP`]);
  const json = JSON.parse((await sb.csm(["history", "--stats", "--json"], { env })).stdout) as { files: number; skipped: Record<string, number>; problems: { path: string; reason: string }[] };
  expect(json).toMatchObject({ files: 1, skipped: { "invalid-json": 1, "oversized-line": 1, "partial-last-line": 1, "unknown-record": 1 }, problems: [{ path: join(project, "loop.jsonl"), reason: "ELOOP" }] });

  // A reference is looked up, never opened: no path, no glob, no shell.
  for (const ref of ["../../etc/passwd", "/etc/passwd", "*", "$(touch pwned)"]) {
    const info = await sb.csm(["info", ref], { env, cwd: sb.paths.root });
    expect({ code: info.code, stderr: info.stderr }).toEqual({ code: 1, stderr: `csm: no conversation matches ${JSON.stringify(ref)} on local (see \`csm history\`)\n` });
  }
  expect(existsSync(join(sb.paths.root, "pwned"))).toBe(false);
});

test("--force resumes a conversation a claude elsewhere holds, once the person says it has ended", async () => {
  await using sb = await makeSandbox();
  const config = join(sb.paths.root, "claude");
  const cwd = join(sb.paths.root, "work");
  const project = join(config, "projects", cwd.replaceAll("/", "-"));
  mkdirSync(project, { recursive: true });
  mkdirSync(cwd);
  mkdirSync(join(config, "sessions"));
  const env = { CLAUDE_CONFIG_DIR: config };
  writeFileSync(join(project, `${ID}.jsonl`), line({ type: "user", message: { role: "user", content: "tidy the imports" }, timestamp: "2026-11-30T10:00:00.000Z", cwd, sessionId: ID }));
  // Left by a claude in a container that was killed: its pid means nothing here.
  writeFileSync(join(config, "sessions", "424242.json"), JSON.stringify({ pid: 424242, sessionId: ID, procStart: "1", pidDomain: "linux:container:pid:[4026532111]" }));

  const refused = await sb.csm(["resume", ID], { env });
  expect(refused.code).toBe(1);
  const forced = await sb.csm(["resume", ID, "--force", "--name", "imports"], { env });
  expect(forced.stderr).toBe("");
  expect(forced.code).toBe(0);
  const listed = JSON.parse((await sb.csm(["list", "--json"], { env })).stdout) as { name: string; claudeSessionId: string }[];
  expect(listed.find((s) => s.name === "imports")?.claudeSessionId).toBe(ID);
});

test("a transcript's timestamp with escape sequences after it is no timestamp, and csm info prints nothing of it raw", async () => {
  await using sb = await makeSandbox();
  const { project, env } = claudeConfigIn(sb.paths.root);
  const hostile = "2026-01-01T00:00:00\u001b]0;PWNED\u0007\u001b]52;c;ZWNobw==\u0007\u001b[2J";
  writeFileSync(join(project, `${ID}.jsonl`), line({ type: "user", message: { role: "user", content: "hello" }, timestamp: hostile, cwd: "/src/app", sessionId: ID }));
  const info = await sb.csm(["info", ID], { env });
  expect(info.code).toBe(0);
  expect(info.stdout).not.toMatch(/[\u001b\u0007]/);
  expect(JSON.parse((await sb.csm(["info", ID, "--json"], { env })).stdout)).toMatchObject({ startedAt: null, lastActiveAt: null });
});
