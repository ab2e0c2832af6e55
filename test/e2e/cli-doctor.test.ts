import { expect, test, setDefaultTimeout } from "bun:test";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("doctor passes when tmux, git, claude, bun and the config are fine", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["doctor"]);
  expect(result).toMatchObject({ code: 0 });
  const report = result.stdout + result.stderr;
  for (const check of ["tmux", "git", "claude", "bun", "config"]) expect(report.toLowerCase()).toContain(check);
  // The stand-in's version, so doctor really ran the binary it found.
  expect(report).toContain("2.1.330");
});

test("doctor fails on a missing claude and says how to fix it", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["doctor"], { env: { CSM_CLAUDE_BIN: "/nonexistent/claude" } });
  expect(result.code).not.toBe(0);
  const claudeLines = (result.stdout + result.stderr).split("\n").filter((line) => /claude/i.test(line));
  expect(claudeLines.join("\n")).toContain("/nonexistent/claude");
  // A fix, not just a complaint: it points at the install or the setting to change.
  expect(claudeLines.join("\n")).toMatch(/install|CSM_CLAUDE_BIN|claudeBin/);
});

test("doctor fails on an invalid config, names it, and leaves it untouched", async () => {
  await using sb = await makeSandbox();
  const text = '{ "apiPort": "x" }';
  const path = await sb.writeConfig(text);
  const result = await sb.csm(["doctor"]);
  expect(result.code).not.toBe(0);
  const report = result.stdout + result.stderr;
  expect(report).toContain(path);
  expect(report).toContain("apiPort");
  expect(await Bun.file(path).text()).toBe(text);
});

test("doctor reports the link transport chosen from claude's version", async () => {
  await using sb = await makeSandbox();
  expect((await sb.csm(["doctor"])).stdout).toMatch(/link\s+bridge \(claude 2\.1\.330 .*refuses a local --sdk-url/);

  const oldClaude = `${sb.paths.root}/old-claude`;
  await Bun.write(oldClaude, "#!/bin/sh\necho '2.1.120 (Claude Code)'\n");
  await sb.run(["chmod", "+x", oldClaude]);
  expect((await sb.csm(["doctor"], { env: { CSM_CLAUDE_BIN: oldClaude } })).stdout).toMatch(/link\s+sdk-url \(claude 2\.1\.120 .*accepts a local --sdk-url/);

  await sb.writeConfig({ claudeTransport: "bridge" });
  expect((await sb.csm(["doctor"], { env: { CSM_CLAUDE_BIN: oldClaude } })).stdout).toMatch(/link\s+bridge \(configured: bridge\)/);
});

test("doctor says how long claude itself keeps transcripts, and where that is set", async () => {
  await using sb = await makeSandbox();
  const configDir = `${sb.paths.root}/claude-config`;
  await Bun.write(`${configDir}/settings.json`, JSON.stringify({ cleanupPeriodDays: 120 }));
  const result = await sb.csm(["doctor"], { env: { ...sb.env, CLAUDE_CONFIG_DIR: configDir } });
  expect(result.stdout).toContain(`claude itself deletes transcripts idle longer than 120 days (cleanupPeriodDays in ${configDir}/settings.json)`);
  const unset = await sb.csm(["doctor"], { env: { ...sb.env, CLAUDE_CONFIG_DIR: `${sb.paths.root}/none` } });
  expect(unset.stdout).toContain("30 days (claude's default; set cleanupPeriodDays");
});

test("doctor says how sessions run, and in native mode the one write to claude's own config", async () => {
  await using sb = await makeSandbox();
  const native = await sb.csm(["doctor"], { env: { CSM_SESSION_MODE: "native", CLAUDE_CONFIG_DIR: "/cfg/claude" } });
  expect(native.stdout).toContain("native: claude's own screen");
  expect(native.stdout).toContain("folder-trust flag for each new worktree, in /cfg/claude/.claude.json");
  expect((await sb.csm(["doctor"])).stdout).toContain("headless: claude -p");
});
