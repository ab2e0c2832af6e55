import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { makePrintSession, makeRenamedSession } from "../helpers/claude-transcripts.ts";
import { makeRemoteSandbox, realClaudeRemoteEnv } from "../helpers/remote.ts";

// Conversations on two machines: this one and "devbox" behind the real sshd, each indexed
// by its own csm. Search and history ask both (one remote command each, in parallel); a
// host that does not answer is reported while the others' answers print; info and resume
// find a conversation on whichever host has it, and resume starts it there, linked live.

setDefaultTimeout(120_000);

test("search, history and info across hosts; a hung host is reported; resume runs on the conversation's host", async () => {
  await using api = { ...(await startFakeAnthropic()), async [Symbol.asyncDispose]() {} };
  const mute = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  // Made before the sandbox so the remote csm can be given its claude env; removed at the end.
  const remoteClaudeRoot = join((await import("node:os")).tmpdir(), `csm-remote-claude-${crypto.randomUUID().slice(0, 8)}`);
  try {
    const there = await makeRenamedSession({ root: remoteClaudeRoot, api, title: "devbox heron notes" });
    const claudeEnv = prepareClaudeEnv({ root: remoteClaudeRoot, apiUrl: api.url, projectDir: there.cwd });
    await using remote = await makeRemoteSandbox({
      remoteEnv: { ...realClaudeRemoteEnv(claudeEnv), CLAUDE_CONFIG_DIR: there.configDir },
      extraHosts: { hung: { host: "127.0.0.1", port: mute.port, user: "nobody" } },
    });
    const { sb } = remote;
    // The hung host has a key, so it gets as far as waiting for an SSH answer that never comes.
    const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
    config.hosts.hung.identityFile = config.hosts.devbox.identityFile;
    await Bun.write(sb.paths.configFile, JSON.stringify(config));
    const here = await makePrintSession({ root: join(sb.paths.root, "local-claude"), api });
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: here.configDir };

    const searched = await sb.csm(["search", "heron", "--json"], { env });
    expect([searched.code, searched.stderr]).toEqual([0, expect.any(String)]);
    if (searched.code !== 0) throw new Error(searched.stderr);
    expect(JSON.parse(searched.stdout)).toEqual([expect.objectContaining({ id: there.sessionId, host: "devbox", title: "devbox heron notes" })]);
    expect(searched.stderr).toContain("csm: hung:");
    expect(searched.stderr.trim().split("\n")).toHaveLength(1);

    // The rest without the hung host: each question would wait out its 5 s again.
    delete config.hosts.hung;
    await Bun.write(sb.paths.configFile, JSON.stringify(config));

    const local = await sb.csm(["search", "fixture-tool-output", "--host", "local", "--json"], { env });
    expect(JSON.parse(local.stdout).map((hit: { id: string }) => hit.id)).toEqual([here.sessionId]);

    const history = await sb.csm(["history", "--all-hosts", "--json"], { env });
    const records = JSON.parse(history.stdout) as { id: string; host: string }[];
    expect(records.map((r) => `${r.host}:${r.id}`).sort()).toEqual([`devbox:${there.sessionId}`, `local:${here.sessionId}`].sort());
    expect(JSON.parse((await sb.csm(["history", "--json"], { env })).stdout)).toHaveLength(1);

    const info = await sb.csm(["info", there.sessionId.slice(0, 8), "--json"], { env });
    expect(JSON.parse(info.stdout)).toMatchObject({ id: there.sessionId, host: "devbox", customTitle: "devbox heron notes", cwd: there.cwd });

    api.reply(textReply("Herons wade."));
    const resumed = await sb.csm(["resume", "devbox heron notes", "--name", "herons"], { env });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("as session herons");
    await sb.waitFor(
      async () => {
        const listed = JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; linked?: boolean }[];
        return listed.find((s) => s.name === "herons" && s.linked);
      },
      { what: "herons linked on devbox", timeoutMs: 30_000 },
    );
    expect((await sb.csm(["send", "herons@devbox", "what wades?"], { env })).code).toBe(0);
    await sb.waitFor(
      async () => {
        const listed = JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; lastMessage?: string }[];
        return listed.find((s) => s.name === "herons" && s.lastMessage === "Herons wade.");
      },
      { what: "the reply on devbox", timeoutMs: 30_000 },
    );
    expect(JSON.stringify(api.requests.at(-1)!.messages)).toContain("hello, this is the renamed one");
  } finally {
    mute.stop(true);
    await Bun.$`rm -rf ${remoteClaudeRoot}`.quiet();
  }
});
