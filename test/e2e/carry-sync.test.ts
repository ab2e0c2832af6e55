import { expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "../fixtures/fake-anthropic.ts";
import { makePrintSession } from "../helpers/claude-transcripts.ts";
import { CSM_ENTRY, makeSandbox, type RunResult } from "../helpers/sandbox.ts";
import { startSshd } from "../helpers/sshd.ts";
import { projectSlug } from "../../src/core/carry/path-map.ts";
import { uuidsOf } from "../../src/core/carry/sync-records.ts";

// Two machines (this one, and devbox behind the real sshd whose csm runs over ssh), each with
// its own claude config dir and path map, share conversations through a bare git repository on
// a local path: round trips are byte-exact after mapping back, both-sides-grew keeps both,
// the repository is a backup, foreign files are left alone.

setDefaultTimeout(120_000);

const record = (id: string, uuid: string, parent: string, text: string, cwd: string) =>
  `${JSON.stringify({ parentUuid: parent, isSidechain: false, type: "user", message: { role: "user", content: text }, uuid, timestamp: new Date().toISOString(), cwd, sessionId: id, version: "2.1.330", gitBranch: "HEAD" })}\n`;

test("push, pull, fast-forward, fork on both-grew, backup, foreign files: nothing lost, bytes exact", async () => {
  await using api = { ...(await startFakeAnthropic()), async [Symbol.asyncDispose]() {} };
  await using m = await makeTwoMachines();
  const cwdA = join(m.laptop.projects, "app");
  const made = await makePrintSession({ root: join(m.root, "laptop-claude"), api, cwd: cwdA });
  m.laptop.useClaudeConfig(made.configDir);
  const id = made.sessionId;
  // Text that looks like a placeholder, and a path inside message text: both must come back exact.
  appendFileSync(made.transcriptPath, record(id, "u-literal", uuidsOf(readFileSync(made.transcriptPath, "utf8")).at(-1)!, `see {{PROJECTS}} and ${cwdA}/README`, realpathSync(cwdA)));
  const original = readFileSync(made.transcriptPath, "utf8");
  mkdirSync(join(made.configDir, "projects", projectSlug(realpathSync(cwdA)), "memory"), { recursive: true });
  writeFileSync(join(made.configDir, "projects", projectSlug(realpathSync(cwdA)), "memory", "MEMORY.md"), `- the app lives in ${realpathSync(cwdA)}\n`);

  expect(await m.laptop.csm(["sync", "push"])).toMatchObject({ code: 1, stderr: expect.stringContaining("csm sync init") });
  expect((await m.laptop.csm(["sync", "init", m.bare])).code).toBe(0);
  // --no-memory leaves the project's memory out; the next push without it brings it.
  const withoutMemory = await m.laptop.csm(["sync", "push", "--no-memory"]);
  expect(withoutMemory).toMatchObject({ code: 0, stdout: expect.stringContaining("pushed 1 conversation(s), 0 memory file(s)") });
  const pushed = await m.laptop.csm(["sync", "push"]);
  expect(pushed).toMatchObject({ code: 0, stdout: expect.stringContaining("pushed 0 conversation(s), 1 memory file(s)") });

  expect((await m.devbox.csm(["sync", "init", m.bare])).code).toBe(0);
  const pulledWithout = await m.devbox.csm(["sync", "pull", "--no-memory"]);
  expect(pulledWithout).toMatchObject({ code: 0, stdout: expect.stringContaining("pulled 1 conversation(s), 0 memory file(s)") });
  const pulled = await m.devbox.csm(["sync", "pull"]);
  expect(pulled).toMatchObject({ code: 0, stdout: expect.stringContaining("pulled 0 conversation(s), 1 memory file(s)") });
  const cwdB = join(m.devbox.projects, "app");
  const there = join(m.devbox.claudeConfig, "projects", projectSlug(cwdB), `${id}.jsonl`);
  const mapped = readFileSync(there, "utf8");
  expect(mapped).toBe(original.split(realpathSync(cwdA)).join(cwdB));
  expect(mapped).toContain("see {{PROJECTS}} and");
  expect(readFileSync(join(m.devbox.claudeConfig, "projects", projectSlug(cwdB), "memory", "MEMORY.md"), "utf8")).toBe(`- the app lives in ${cwdB}\n`);

  // devbox goes on with it; the laptop fast-forwards.
  const devboxLine = record(id, "u-devbox-1", "u-literal", "more from devbox", cwdB);
  appendFileSync(there, devboxLine);
  expect((await m.devbox.csm(["sync", "push"])).stdout).toContain("pushed 1 conversation(s)");
  expect((await m.laptop.csm(["sync", "pull"])).stdout).toContain("pulled 1 conversation(s)");
  const forwarded = readFileSync(made.transcriptPath, "utf8");
  expect(forwarded).toBe(original + devboxLine.split(cwdB).join(realpathSync(cwdA)));
  expect(uuidsOf(forwarded).at(-1)).toBe("u-devbox-1");

  // Both grow: neither is overwritten; each side keeps the other's as a fork.
  appendFileSync(made.transcriptPath, record(id, "u-laptop-2", "u-devbox-1", "laptop's turn", realpathSync(cwdA)));
  appendFileSync(there, record(id, "u-devbox-2", "u-devbox-1", "devbox's turn", cwdB));
  const laptopMine = readFileSync(made.transcriptPath, "utf8");
  const devboxMine = readFileSync(there, "utf8");
  expect((await m.devbox.csm(["sync", "push"])).code).toBe(0);
  const forkPush = await m.laptop.csm(["sync", "push"]);
  expect(forkPush).toMatchObject({ code: 0, stdout: expect.stringContaining("pushed as fork") });
  expect((await m.laptop.csm(["sync", "pull"])).stdout).toContain("kept here as");
  expect((await m.devbox.csm(["sync", "pull"])).code).toBe(0);
  expect(readFileSync(made.transcriptPath, "utf8")).toBe(laptopMine);
  expect(readFileSync(there, "utf8")).toBe(devboxMine);
  for (const machine of [m.laptop, m.devbox]) {
    const all = readdirSync(join(machine.claudeConfig, "projects"), { recursive: true })
      .filter((name) => String(name).endsWith(".jsonl"))
      .map((name) => readFileSync(join(machine.claudeConfig, "projects", String(name)), "utf8"));
    expect(all).toHaveLength(2);
    const uuids = new Set(all.flatMap(uuidsOf));
    for (const uuid of ["u-literal", "u-devbox-1", "u-laptop-2", "u-devbox-2"]) expect(uuids.has(uuid)).toBe(true);
  }
  const status = JSON.parse((await m.laptop.csm(["sync", "status", "--json"])).stdout) as { conversations: { id: string; relation: string; fork?: string }[] };
  expect(status.conversations.map((c) => [c.relation, c.fork ?? ""]).sort()).toEqual([["same", "mine"], ["same", "theirs"]]);

  // A foreign file in the repository is listed and left alone.
  await m.commitForeign("notes/todo.txt", "not csm's\n");
  const statusAgain = JSON.parse((await m.devbox.csm(["sync", "status", "--json"])).stdout) as { foreign: string[] };
  expect(statusAgain.foreign).toEqual(["notes/todo.txt"]);
  expect((await m.devbox.csm(["sync", "push"])).code).toBe(0);
  expect(await m.foreignStill("notes/todo.txt")).toBe("not csm's\n");

  // The repository is a backup: a lost transcript comes back byte for byte.
  rmSync(made.transcriptPath);
  expect((await m.laptop.csm(["sync", "pull"])).code).toBe(0);
  expect(readFileSync(made.transcriptPath, "utf8")).toBe(laptopMine);

  // A symlink committed into the repository is listed as foreign and never written through.
  const outside = join(m.root, "outside");
  mkdirSync(outside);
  await m.commitForeign(`conversations/${projectSlug("{{PROJECTS}}/evil")}`, outside, true);
  const evil = join(made.configDir, "projects", projectSlug(join(realpathSync(m.laptop.projects), "evil")));
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, "0e0e0e0e-0000-4000-8000-000000000000.jsonl"), record("0e0e0e0e-0000-4000-8000-000000000000", "e1", "", "x", join(realpathSync(m.laptop.projects), "evil")));
  const refused = await m.laptop.csm(["sync", "push"]);
  expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("will not write through it")]);
  expect(readdirSync(outside)).toEqual([]);
});

test("over ssh: racing pushes both land, a half-written line waits, an unreachable remote and a bad path map are one-line errors", async () => {
  await using m = await makeTwoMachines();
  const conversation = (machine: Machine, name: string, lines: number) => {
    const cwd = join(machine.projects, name);
    const id = crypto.randomUUID();
    const dir = join(machine.claudeConfig, "projects", projectSlug(cwd));
    mkdirSync(dir, { recursive: true });
    let text = "";
    for (let i = 0; i < lines; i++) text += record(id, `${id}-${i}`, i === 0 ? "" : `${id}-${i - 1}`, `line ${i} in ${cwd}`, cwd);
    writeFileSync(join(dir, `${id}.jsonl`), text);
    return { id, name, path: join(dir, `${id}.jsonl`), text };
  };
  mkdirSync(m.laptop.claudeConfig, { recursive: true });
  expect((await m.laptop.csm(["sync", "init", m.sshUrl])).code).toBe(0);
  expect((await m.devbox.csm(["sync", "init", m.sshUrl])).code).toBe(0);
  const mine = Array.from({ length: 6 }, (_, i) => conversation(m.laptop, `app${i}`, 20));
  const theirs = Array.from({ length: 6 }, (_, i) => conversation(m.devbox, `svc${i}`, 20));
  const [a, b] = await Promise.all([m.laptop.csm(["sync", "push"]), m.devbox.csm(["sync", "push"])]);
  expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, "", 0, ""]);
  const log = (await m.sb.run(["git", "--git-dir", m.bare, "log", "--format=%an", "main"])).stdout.trim().split("\n");
  expect(log.sort()).toEqual(["csm on devbox", "csm on laptop"]);
  expect((await m.laptop.csm(["sync", "pull"])).stdout).toContain("pulled 6 conversation(s)");
  for (const c of theirs) {
    const back = readFileSync(join(m.laptop.claudeConfig, "projects", projectSlug(join(m.laptop.projects, c.name)), `${c.id}.jsonl`), "utf8");
    expect(back).toBe(c.text.split(m.devbox.projects).join(m.laptop.projects));
  }

  // A line claude is still writing stays out until it is complete.
  const growing = mine[0]!;
  appendFileSync(growing.path, record(growing.id, "u-whole", `${growing.id}-19`, "whole", join(m.laptop.projects, "app0")) + '{"type":"user","uuid":"u-ha');
  expect((await m.laptop.csm(["sync", "push"])).code).toBe(0);
  const stored = await m.sb.run(["git", "--git-dir", m.bare, "show", `main:conversations/${projectSlug("{{PROJECTS}}/app0")}/${growing.id}.jsonl`]);
  expect(stored.stdout).toContain('"uuid":"u-whole"');
  expect(stored.stdout).not.toContain("u-ha");
  expect(stored.stdout.endsWith("\n")).toBe(true);
  appendFileSync(growing.path, 'lf"}\n');
  expect((await m.laptop.csm(["sync", "push"])).stdout).toContain("pushed 1 conversation(s)");

  // --project pushes only that project's; a cwd no placeholder covers is listed by status.
  for (const c of [mine[1]!, mine[2]!]) appendFileSync(c.path, record(c.id, `${c.id}-more`, `${c.id}-19`, "more", join(m.laptop.projects, c.name)));
  const one = JSON.parse((await m.laptop.csm(["sync", "push", "--project", join(m.laptop.projects, "app1"), "--json"])).stdout) as { written: { id: string }[] };
  expect(one.written.map((w) => w.id)).toEqual([mine[1]!.id]);
  const outside = conversation({ ...m.laptop, projects: "/srv/not-mapped" }, "x", 1);
  const status = JSON.parse((await m.laptop.csm(["sync", "status", "--json"])).stdout) as { uncoveredPaths: string[]; conversations: { id: string; relation: string }[] };
  expect(status.uncoveredPaths).toEqual(["/srv/not-mapped/x"]);
  const relations = Object.fromEntries(status.conversations.map((c) => [c.id, c.relation]));
  expect([relations[outside.id], relations[mine[2]!.id], relations[mine[1]!.id], relations[theirs[0]!.id]]).toEqual(["only here", "ahead", "same", "same"]);

  // The remote is gone: one clear line, nothing local touched.
  const before = readFileSync(growing.path, "utf8");
  await m.sshd.kill();
  const offline = await m.laptop.csm(["sync", "push"]);
  expect(offline.code).toBe(1);
  expect(offline.stderr.trim().split("\n")).toHaveLength(1);
  expect(offline.stderr).toContain("cannot reach the sync repository ssh://");
  expect(readFileSync(growing.path, "utf8")).toBe(before);
  await m.sshd.start();

  // Two placeholders for one path: refused before anything is read or written.
  await m.sb.writeConfig({ pathMap: { "{{PROJECTS}}": m.laptop.projects, "{{SRC}}": `${m.laptop.projects}/` }, machineName: "laptop", sync: { repo: m.sshUrl } });
  const bad = await m.laptop.csm(["sync", "push"]);
  expect(bad.code).toBe(78);
  expect(bad.stderr).toContain("both map to");
});

interface Machine {
  claudeConfig: string;
  projects: string;
  csm(args: string[], env?: Record<string, string>): Promise<RunResult>;
  useClaudeConfig(dir: string): void;
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** The laptop (this sandbox's HOME) and devbox (a second HOME whose csm runs over ssh), and a bare repo both can reach. */
async function makeTwoMachines() {
  const sb = await makeSandbox();
  const sshd = await startSshd();
  const root = realpathSync(sb.paths.root);
  const run = async (argv: string[]) => {
    const result = await sb.run(argv);
    if (result.code !== 0) throw new Error(`${argv.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  const bare = join(root, "shared.git");
  await run(["git", "init", "-q", "--bare", "-b", "main", bare]);
  const gitSsh = `ssh -i ${sshd.identityFile} -o UserKnownHostsFile=${sshd.knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes`;

  let laptopClaude = join(root, "laptop-claude", "claude-config");
  const laptopProjects = join(root, "laptop-src");
  mkdirSync(laptopProjects, { recursive: true });
  await sb.writeConfig({ pathMap: { "{{PROJECTS}}": laptopProjects }, machineName: "laptop" });
  const laptop: Machine = {
    get claudeConfig() {
      return laptopClaude;
    },
    projects: laptopProjects,
    csm: (args, env = {}) => sb.csm(args, { env: { CLAUDE_CONFIG_DIR: laptopClaude, GIT_SSH_COMMAND: gitSsh, ...env } }),
    useClaudeConfig: (dir) => void (laptopClaude = dir),
  };

  const devRoot = join(root, "devbox");
  const devEnv: Record<string, string> = {
    HOME: join(devRoot, "home"),
    XDG_CONFIG_HOME: join(devRoot, "config"),
    XDG_STATE_HOME: join(devRoot, "state"),
    XDG_DATA_HOME: join(devRoot, "data"),
    XDG_CACHE_HOME: join(devRoot, "cache"),
    CLAUDE_CONFIG_DIR: join(devRoot, "claude"),
    CSM_TMUX_SOCKET: sb.extraSocket("devbox"),
    TMUX_TMPDIR: sb.paths.tmuxTmpdir,
    GIT_SSH_COMMAND: gitSsh,
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
  };
  const devProjects = join(devRoot, "code");
  for (const dir of [devEnv.HOME!, devEnv.CLAUDE_CONFIG_DIR!, devProjects, join(devEnv.XDG_CONFIG_HOME!, "csm")]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(devEnv.XDG_CONFIG_HOME!, "csm", "config.json"), JSON.stringify({ pathMap: { "{{PROJECTS}}": devProjects }, machineName: "devbox" }));
  const devbox: Machine = {
    claudeConfig: devEnv.CLAUDE_CONFIG_DIR!,
    projects: devProjects,
    csm: (args, env = {}) => {
      const command = ["env", ...Object.entries({ ...devEnv, ...env }).map(([k, v]) => `${k}=${v}`), CSM_ENTRY, ...args].map(quote).join(" ");
      return sb.run(["ssh", "-i", sshd.identityFile, "-o", `UserKnownHostsFile=${sshd.knownHostsPath}`, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-p", String(sshd.port), `${sshd.user}@127.0.0.1`, command], { timeoutMs: 60_000 });
    },
    useClaudeConfig: () => undefined,
  };
  return {
    sb,
    sshd,
    root,
    bare,
    sshUrl: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${bare}`,
    laptop,
    devbox,
    async commitForeign(path: string, text: string, symlink = false) {
      const clone = join(root, `foreign-${crypto.randomUUID().slice(0, 6)}`);
      await run(["git", "clone", "-q", bare, clone]);
      mkdirSync(join(clone, path, ".."), { recursive: true });
      if (symlink) (await import("node:fs")).symlinkSync(text, join(clone, path));
      else writeFileSync(join(clone, path), text);
      await run(["git", "-C", clone, "add", "."]);
      await run(["git", "-C", clone, "-c", "user.name=someone", "-c", "user.email=someone@example.invalid", "commit", "-q", "-m", "foreign"]);
      await run(["git", "-C", clone, "push", "-q", "origin", "HEAD:main"]);
    },
    foreignStill: (path: string) => run(["git", "--git-dir", bare, "show", `main:${path}`]),
    async [Symbol.asyncDispose]() {
      await sb.dispose();
      await sshd.stop();
    },
  };
}
