import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectSlug } from "../../src/core/carry/path-map.ts";
import { prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { CLAUDE_BIN, makePrintSession, startInteractiveSession } from "../helpers/claude-transcripts.ts";
import { makeRemoteSandbox, realClaudeRemoteEnv } from "../helpers/remote.ts";

// `csm move` between two machines: this one ("laptop") and "devbox" behind the real sshd,
// each with its own claude config dir and pathMap ({{PROJECTS}} is <root>/laptop/src here,
// <root>/devbox/src there). Real claude transcripts, the real claude resuming on devbox.

setDefaultTimeout(180_000);

const sha = (path: string) => new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex");
const LITERAL = "keep {{PROJECTS}} and {{{{ and {{NOPE}} as typed";

test("move to devbox maps paths; back is byte-exact; refused while live, on a missing placeholder, on a different copy; --resume continues there", async () => {
  await using api = { ...(await startFakeAnthropic()), async [Symbol.asyncDispose]() {} };
  const root = realpathSync(tmpdir()) + `/csm-carry-${crypto.randomUUID().slice(0, 8)}`;
  const laptop = join(root, "laptop");
  const devbox = join(root, "devbox");
  try {
    mkdirSync(join(devbox, "src", "app"), { recursive: true });
    const devboxClaude = prepareClaudeEnv({ root: devbox, apiUrl: api.url, projectDir: join(devbox, "src", "app") });
    await using remote = await makeRemoteSandbox({
      remoteEnv: realClaudeRemoteEnv(devboxClaude),
    });
    const { sb, remoteEnv } = remote;
    const config = JSON.parse(readFileSync(sb.paths.configFile, "utf8"));
    await sb.writeConfig({ ...config, machineName: "laptop", pathMap: { "{{PROJECTS}}": join(laptop, "src"), "{{SCRATCH}}": join(laptop, "scratch") } });
    mkdirSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm"), { recursive: true });
    writeFileSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm", "config.json"), JSON.stringify({ machineName: "devbox", pathMap: { "{{PROJECTS}}": join(devbox, "src") } }));

    // A real conversation in <laptop>/src/app, continued with a prompt that names its own path and looks like placeholders.
    const app = await makePrintSession({ root: laptop, api, cwd: join(laptop, "src", "app") });
    const claudeEnv = { ...prepareClaudeEnv({ root: laptop, apiUrl: api.url, projectDir: app.cwd }), XDG_RUNTIME_DIR: join(laptop, "run"), CLAUDE_CODE_TMPDIR: join(laptop, "tmp") };
    api.reply(textReply(`Looked at ${app.cwd}/README.`));
    const said = Bun.spawn([CLAUDE_BIN, "-p", `read ${app.cwd}/README and ${LITERAL}`, "--resume", app.sessionId], { cwd: app.cwd, env: claudeEnv, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 30_000 });
    expect([await said.exited, await new Response(said.stderr).text()]).toEqual([0, ""]);
    const original = sha(app.transcriptPath);
    expect(readFileSync(app.transcriptPath, "utf8")).toContain(LITERAL);
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: app.configDir };
    const memory = join(app.transcriptPath, "..", "memory", "notes.md");
    mkdirSync(join(memory, ".."), { recursive: true });
    writeFileSync(memory, `build in ${app.cwd}\n`);

    // Out: in devbox's project for <devbox>/src/app, every <laptop>/src made <devbox>/src.
    const moved = await sb.csm(["move", app.sessionId.slice(0, 8), "--to", "devbox", "--json"], { env });
    expect([moved.code, moved.stderr]).toEqual([0, ""]);
    const report = JSON.parse(moved.stdout);
    const there = join(devboxClaude.CLAUDE_CONFIG_DIR!, "projects", projectSlug(join(devbox, "src", "app")), `${app.sessionId}.jsonl`);
    expect(report).toMatchObject({ id: app.sessionId, from: "local", to: "devbox", fromMachine: "laptop", toMachine: "devbox", target: there, cwd: join(devbox, "src", "app"), written: ["memory/notes.md", `${app.sessionId}.jsonl`] });
    const memoryThere = join(there, "..", "memory", "notes.md");
    expect(readFileSync(memoryThere, "utf8")).toBe(`build in ${join(devbox, "src", "app")}\n`);
    const text = readFileSync(there, "utf8");
    expect(text).not.toContain(join(laptop, "src"));
    expect(text).toContain(`"cwd":"${join(devbox, "src", "app")}"`);
    expect(text).toContain(`read ${join(devbox, "src", "app")}/README and ${LITERAL}`);
    expect(sha(app.transcriptPath)).toBe(original);

    const again = await sb.csm(["move", app.sessionId, "--to", "devbox"], { env });
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining("the same: nothing to do")]);

    // Back: with this machine's copy put aside, devbox's comes back byte for byte.
    renameSync(app.transcriptPath, `${app.transcriptPath}.aside`);
    const back = await sb.csm(["move", app.sessionId, "--to", "local"], { env });
    expect([back.code, back.stderr]).toEqual([0, ""]);
    expect(sha(app.transcriptPath)).toBe(original);
    rmSync(`${app.transcriptPath}.aside`);

    // A different copy on the target is never overwritten.
    const before = readFileSync(there, "utf8");
    writeFileSync(there, before.replace("Looked at", "Glanced at"));
    const clobber = await sb.csm(["move", app.sessionId, "--to", "devbox"], { env });
    expect([clobber.code, clobber.stderr]).toEqual([1, expect.stringContaining("has a different copy of conversation")]);
    expect(readFileSync(there, "utf8")).toBe(before.replace("Looked at", "Glanced at"));
    rmSync(there);

    // A cwd under {{SCRATCH}}, which devbox's pathMap lacks: refused before anything is written.
    const scratch = await makePrintSession({ root: laptop, api, cwd: join(laptop, "scratch", "b") });
    const lacking = await sb.csm(["move", scratch.sessionId, "--to", "devbox"], { env });
    expect([lacking.code, lacking.stderr.trim()]).toEqual([1, expect.stringMatching(/^csm: .*\{\{SCRATCH\}\}.*pathMap lacks.*nothing was written$/)]);
    expect(lacking.stderr.trim().split("\n")).toHaveLength(1);
    expect(Bun.spawnSync(["grep", "-rl", scratch.sessionId, join(devboxClaude.CLAUDE_CONFIG_DIR!, "projects")]).stdout.toString()).toBe("");

    // A claude running on the laptop holds its conversation: refused.
    {
      await using live = await startInteractiveSession({ root: laptop, api, cwd: join(laptop, "src", "live"), aiTitle: false });
      const held = await sb.csm(["move", live.sessionId, "--to", "devbox"], { env });
      expect([held.code, held.stderr.trim()]).toEqual([1, expect.stringContaining(`claude (pid ${live.pid}) holds conversation ${live.sessionId} on this machine`)]);
      expect(Bun.spawnSync(["grep", "-rl", live.sessionId, join(devboxClaude.CLAUDE_CONFIG_DIR!, "projects")]).stdout.toString()).toBe("");
    }

    // devbox's newer memory file stays; --resume: moved and started on devbox as a csm session; the real claude finds it and answers.
    writeFileSync(memoryThere, "devbox knows better\n");
    const resumed = await sb.csm(["move", app.sessionId, "--to", "devbox", "--resume"], { env });
    expect([resumed.code, resumed.stderr]).toEqual([0, ""]);
    expect(resumed.stdout).toContain("kept devbox's newer memory/notes.md");
    expect(readFileSync(memoryThere, "utf8")).toBe("devbox knows better\n");
    expect(resumed.stdout).toContain("copied conversation");
    expect(resumed.stdout).toContain(`resumed conversation ${app.sessionId} as session`);
    const name = /as session (\S+)/.exec(resumed.stdout)![1]!;
    await sb.waitFor(
      async () => (JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; linked?: boolean }[]).find((s) => s.name === name && s.linked),
      { what: `${name} linked on devbox`, timeoutMs: 30_000 },
    );
    api.reply(textReply("Carried and answering."));
    expect((await sb.csm(["send", `${name}@devbox`, "are you there?"], { env })).code).toBe(0);
    await sb.waitFor(
      async () => (JSON.parse((await sb.csm(["list", "--json", "--host", "devbox"], { env })).stdout) as { name: string; lastMessage?: string }[]).find((s) => s.name === name && s.lastMessage === "Carried and answering."),
      { what: "the reply on devbox", timeoutMs: 30_000 },
    );
    const lastRequest = JSON.stringify(api.requests.at(-1)!.messages);
    expect(lastRequest).toContain(`read ${join(devbox, "src", "app")}/README`);
    expect(lastRequest).not.toContain(join(laptop, "src"));

    // Now the csm session on devbox holds it: refused both ways.
    const fromDevbox = await sb.csm(["move", app.sessionId, "--to", "local"], { env });
    expect([fromDevbox.code, fromDevbox.stderr.trim()]).toEqual([1, expect.stringContaining(`csm session ${name} holds conversation ${app.sessionId} on devbox`)]);
    const toDevbox = await sb.csm(["move", app.sessionId, "--from", "local", "--to", "devbox"], { env });
    expect([toDevbox.code, toDevbox.stderr.trim()]).toEqual([1, expect.stringContaining(`holds conversation ${app.sessionId} on devbox`)]);
    expect(existsSync(there)).toBe(true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
