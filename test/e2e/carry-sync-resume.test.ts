import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { makePrintSession } from "../helpers/claude-transcripts.ts";
import { makeRemoteSandbox, realClaudeRemoteEnv } from "../helpers/remote.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";
import { projectSlug } from "../../src/core/carry/path-map.ts";

// A conversation pushed from the laptop, pulled on devbox (behind the real sshd, its csm run over
// ssh), resumes there with the real claude: the lock is taken in the repository, the reply
// arrives, and claude saw the laptop's turns. The laptop sees devbox's lock and its pull leaves
// the conversation alone.

setDefaultTimeout(180_000);

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

test("synced to devbox, resumed there with the real claude under devbox's lock", async () => {
  await using api = { ...(await startFakeAnthropic()), async [Symbol.asyncDispose]() {} };
  const root = `${realpathSync(tmpdir())}/csm-sync-resume-${crypto.randomUUID().slice(0, 8)}`;
  const laptop = join(root, "laptop");
  const devbox = join(root, "devbox");
  try {
    const devCwd = join(devbox, "src", "app");
    mkdirSync(devCwd, { recursive: true });
    const devboxClaude = prepareClaudeEnv({ root: devbox, apiUrl: api.url, projectDir: devCwd });
    await using remote = await makeRemoteSandbox({
      remoteEnv: realClaudeRemoteEnv(devboxClaude),
    });
    const { sb, sshd, remoteEnv } = remote;
    const bare = join(root, "shared.git");
    expect((await sb.run(["git", "init", "-q", "--bare", "-b", "main", bare])).code).toBe(0);
    const config = JSON.parse(readFileSync(sb.paths.configFile, "utf8"));
    await sb.writeConfig({ ...config, machineName: "laptop", pathMap: { "{{PROJECTS}}": join(laptop, "src") } });
    mkdirSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm"), { recursive: true });
    writeFileSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm", "config.json"), JSON.stringify({ machineName: "devbox", pathMap: { "{{PROJECTS}}": join(devbox, "src") } }));
    const onDevbox = (args: string[]) =>
      sb.run(
        ["ssh", "-i", sshd.identityFile, "-o", `UserKnownHostsFile=${sshd.knownHostsPath}`, "-o", "BatchMode=yes", "-p", String(sshd.port), `${sshd.user}@127.0.0.1`,
          ["env", ...Object.entries(remoteEnv).map(([k, v]) => `${k}=${v}`), CSM_ENTRY, ...args].map(quote).join(" ")],
        { timeoutMs: 60_000 },
      );

    const app = await makePrintSession({ root: laptop, api, cwd: join(laptop, "src", "app") });
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: app.configDir };
    expect((await sb.csm(["sync", "init", bare], { env })).code).toBe(0);
    expect((await sb.csm(["sync", "push"], { env })).code).toBe(0);
    expect((await onDevbox(["sync", "init", bare])).code).toBe(0);
    const pulled = await onDevbox(["sync", "pull"]);
    expect([pulled.code, pulled.stderr]).toEqual([0, ""]);
    const there = join(devboxClaude.CLAUDE_CONFIG_DIR!, "projects", projectSlug(devCwd), `${app.sessionId}.jsonl`);
    expect(readFileSync(there, "utf8")).toBe(readFileSync(app.transcriptPath, "utf8").split(join(laptop, "src")).join(join(devbox, "src")));

    api.reply(textReply("Carried over and answering."));
    const resumed = await sb.csm(["resume", app.sessionId, "--host", "devbox", "--name", "carried"], { env });
    expect([resumed.code, resumed.stderr]).toEqual([0, ""]);
    await sb.waitFor(
      async () => (JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; linked?: boolean }[]).find((s) => s.name === "carried" && s.linked),
      { what: "carried linked on devbox", timeoutMs: 30_000 },
    );
    expect((await sb.csm(["send", "carried@devbox", "go on"], { env })).code).toBe(0);
    await sb.waitFor(
      async () => (JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; lastMessage?: string }[]).find((s) => s.name === "carried" && s.lastMessage === "Carried over and answering."),
      { what: "the reply on devbox", timeoutMs: 30_000 },
    );
    // claude on devbox was given the laptop's conversation, its paths devbox's.
    const sent = JSON.stringify(api.requests.at(-1)!.messages);
    expect(sent).toContain("run the fixture command");
    expect(sent).toContain("fixture-tool-output");

    const locks = JSON.parse((await sb.csm(["sync", "lock", "list", "--json"], { env })).stdout) as { id: string; machine: string; live: boolean }[];
    expect(locks).toEqual([expect.objectContaining({ id: app.sessionId, machine: "devbox", live: true })]);
    const refused = await sb.csm(["sync", "lock", "release", app.sessionId.slice(0, 8)], { env });
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("devbox's and still live")]);
    const whileLocked = await sb.csm(["sync", "pull"], { env });
    expect(whileLocked.stderr).toContain(`${app.sessionId}: locked by devbox`);

    // The session ends on devbox: its hub pushes the grown conversation and releases the lock.
    await remote.remoteTmux(["kill-session", "-t", "=csm-carried"]);
    await sb.waitFor(
      async () => (JSON.parse((await sb.csm(["sync", "lock", "list", "--json"], { env })).stdout) as unknown[]).length === 0,
      { what: "devbox's hub to release the lock", timeoutMs: 30_000 },
    );
    const back = await sb.csm(["sync", "pull"], { env });
    expect([back.code, back.stdout]).toEqual([0, expect.stringContaining("pulled 1 conversation(s)")]);
    expect(readFileSync(app.transcriptPath, "utf8")).toContain("Carried over and answering.");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
