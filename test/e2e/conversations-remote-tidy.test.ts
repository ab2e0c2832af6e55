import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic } from "../fixtures/fake-anthropic.ts";
import { CLAUDE_BIN, makePrintSession } from "../helpers/claude-transcripts.ts";
import { csmJsonIn } from "../helpers/csm-json.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// gc, trash, restore and rename on another machine, through the real sshd: that host's csm
// moves its own files into its own trash; nothing crosses between the machines.

setDefaultTimeout(90_000);

test("gc --host devbox moves devbox's husk into devbox's trash; restore and rename there", async () => {
  const api = await startFakeAnthropic();
  const claudeRoot = join(tmpdir(), `csm-remote-tidy-${crypto.randomUUID().slice(0, 8)}`);
  try {
    const kept = await makePrintSession({ root: claudeRoot, api });
    const slash = join(claudeRoot, "slash");
    mkdirSync(slash);
    const claudeEnv = { ...prepareClaudeEnv({ root: claudeRoot, apiUrl: api.url, projectDir: slash }), CLAUDE_CONFIG_DIR: kept.configDir };
    expect(await Bun.spawn([CLAUDE_BIN, "-p", "/cost"], { cwd: slash, env: claudeEnv, stdout: "pipe", stderr: "pipe" }).exited).toBe(0);

    await using remote = await makeRemoteSandbox({ remoteEnv: { CLAUDE_CONFIG_DIR: kept.configDir } });
    const { sb } = remote;
    const csmJson = csmJsonIn(sb);

    const plan = await csmJson<{ id: string; path: string; reason: string }[]>(["gc", "--host", "devbox"]);
    expect(plan).toEqual([expect.objectContaining({ reason: "husk: only local commands" })]);
    const [husk] = plan;
    // Every host at once: devbox's husk, with its host; nothing here.
    expect(await csmJson<{ id: string; host: string }[]>(["gc", "--all-hosts"])).toEqual([expect.objectContaining({ id: husk!.id, host: "devbox" })]);
    const moved = await csmJson<{ moved: { id: string }[] }>(["gc", "--apply", "--host", "devbox"]);
    expect(moved.moved.map((m) => m.id)).toEqual([husk!.id]);
    expect(existsSync(husk!.path)).toBe(false);
    // In devbox's own trash (its XDG data dir), not this machine's.
    expect(await csmJson<{ id: string }[]>(["trash", "--host", "devbox"])).toEqual([expect.objectContaining({ id: husk!.id })]);
    expect(await csmJson<unknown[]>(["trash"])).toEqual([]);
    expect(await csmJson<{ id: string; host: string }[]>(["trash", "--all-hosts"])).toEqual([expect.objectContaining({ id: husk!.id, host: "devbox" })]);
    expect(existsSync(join(remote.remoteEnv.XDG_DATA_HOME!, "csm", "trash"))).toBe(true);

    expect((await sb.csm(["restore", husk!.id.slice(0, 8), "--host", "devbox"])).code).toBe(0);
    expect(existsSync(husk!.path)).toBe(true);

    const renamed = await csmJson<{ title: string; by: string }>(["rename", kept.sessionId, "devbox fixture", "--host", "devbox"]);
    expect(renamed).toMatchObject({ title: "devbox fixture", by: "csm" });
    const found = await csmJson<{ title: string; host: string }[]>(["search", "devbox", "fixture"]);
    expect(found).toEqual([expect.objectContaining({ title: "devbox fixture", host: "devbox" })]);
  } finally {
    await api.stop();
    await Bun.$`rm -rf ${claudeRoot}`.quiet();
  }
});
