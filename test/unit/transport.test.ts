import { expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalHost } from "../../src/host/local.ts";
import type { RunOptions, RunResult, Runner } from "../../src/host/runner.ts";
import { chooseTransport, parseClaudeVersion, PROBE_TIMEOUT_MS, transportForVersion } from "../../src/link/transport.ts";

test.each([
  ["2.1.330 (Claude Code)", "bridge"],
  ["2.1.121 (Claude Code)", "bridge"],
  ["2.1.120 (Claude Code)", "sdk-url"],
  ["2.0.5 (Claude Code)", "sdk-url"],
  ["1.0.124 (Claude Code)", "sdk-url"],
  ["3.0.0", "bridge"],
  ["garbage", "bridge"],
])("claude %p → %p", (output, transport) => {
  expect(transportForVersion(parseClaudeVersion(output))).toBe(transport as "bridge" | "sdk-url");
});

// The version probe: answered once per installed claude, and a claude that fails or does
// not answer is remembered as well, so it does not hold up every create.

function tempDir(): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), "csm-transport-"));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** A runner whose claude answers with `result`; records every probe and its options. */
function scriptedRunner(result: RunResult) {
  const local = new LocalHost();
  const probes: { argv: readonly string[]; options?: RunOptions }[] = [];
  const runner = {
    hostName: "local",
    files: local.files,
    run: async (argv: readonly string[], options?: RunOptions) => (probes.push({ argv, options }), result),
  } as unknown as Runner;
  return { runner, probes };
}

test("a version is probed once per binary, with a 3 s limit, and picks the transport", async () => {
  using dir = tempDir();
  const bin = join(dir.path, "claude");
  writeFileSync(bin, "");
  const cache = join(dir.path, "claude-versions.json");
  const { runner, probes } = scriptedRunner({ code: 0, stdout: "2.1.120 (Claude Code)\n", stderr: "" });
  expect(await chooseTransport(runner, bin, "auto", cache)).toMatchObject({ transport: "sdk-url", version: "2.1.120 (Claude Code)" });
  expect(await chooseTransport(runner, bin, "auto", cache)).toMatchObject({ transport: "sdk-url" });
  expect(probes).toEqual([{ argv: [bin, "--version"], options: { timeoutMs: 3_000 } }]);
});

test("a failed probe is cached too: the second create does not probe again", async () => {
  using dir = tempDir();
  const bin = join(dir.path, "claude");
  writeFileSync(bin, "");
  const cache = join(dir.path, "claude-versions.json");
  const { runner, probes } = scriptedRunner({ code: 1, stdout: "", stderr: "boom" });
  const first = await chooseTransport(runner, bin, "auto", cache);
  expect(first).toMatchObject({ transport: "bridge", version: null });
  expect(first.reason).toContain("--version exited 1");
  expect(Object.values(JSON.parse(readFileSync(cache, "utf8")))).toEqual([{ failed: "--version exited 1" }]);
  expect((await chooseTransport(runner, bin, "auto", cache)).transport).toBe("bridge");
  expect(probes.length).toBe(1);
  // Another binary at that path (a new size or mtime) is probed afresh.
  writeFileSync(bin, "changed");
  await chooseTransport(runner, bin, "auto", cache);
  expect(probes.length).toBe(2);
});

// Waits out PROBE_TIMEOUT_MS (3 s) for real: too close to bun's 5 s default on a loaded machine.
test("a claude that never answers --version, even with its output held open, is given up on and remembered", async () => {
  using dir = tempDir();
  const bin = join(dir.path, "claude");
  const log = join(dir.path, "probes.log");
  const sleeper = join(dir.path, "sleep.pid");
  // The background sleep keeps stdout open after the script itself is killed.
  writeFileSync(bin, `#!/bin/sh\necho probed >> '${log}'\nsleep 60 &\necho $! > '${sleeper}'\nwait\n`);
  chmodSync(bin, 0o755);
  const cache = join(dir.path, "claude-versions.json");
  try {
    const first = await chooseTransport(new LocalHost(), bin, "auto", cache);
    expect(first).toMatchObject({ transport: "bridge", version: null });
    expect(first.reason).toContain(`no answer to --version within ${PROBE_TIMEOUT_MS / 1000} s`);
    const cached = Object.entries(JSON.parse(readFileSync(cache, "utf8")) as Record<string, unknown>);
    expect(cached).toEqual([[expect.stringMatching(new RegExp(`^${bin}:`)), { failed: `no answer to --version within ${PROBE_TIMEOUT_MS / 1000} s` }]]);
    expect((await chooseTransport(new LocalHost(), bin, "auto", cache)).transport).toBe("bridge");
    expect(readFileSync(log, "utf8")).toBe("probed\n");
  } finally {
    if (existsSync(sleeper)) process.kill(Number(readFileSync(sleeper, "utf8")), "SIGKILL");
  }
}, 15_000);
