import { expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectSlug } from "../../src/core/carry/path-map.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// `csm sync pull` never loses what only this machine has: lines without a uuid (a title set
// here) survive a copy that went on elsewhere, and a conversation a claude here has open is
// never replaced under it. Two machines are two homes on this one, sharing a bare repository.

setDefaultTimeout(60_000);

const record = (id: string, uuid: string, parent: string | null, text: string, cwd: string) =>
  `${JSON.stringify({ parentUuid: parent, isSidechain: false, type: "user", message: { role: "user", content: text }, uuid, timestamp: "2026-11-30T00:00:00.000Z", cwd, sessionId: id })}\n`;

async function twoMachines(sb: Sandbox) {
  const root = realpathSync(sb.paths.root);
  const bare = join(root, "shared.git");
  expect((await sb.run(["git", "init", "-q", "--bare", "-b", "main", bare])).code).toBe(0);
  const machine = async (name: string) => {
    const home = join(root, name);
    const env = {
      HOME: join(home, "home"),
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_STATE_HOME: join(home, "state"),
      XDG_DATA_HOME: join(home, "data"),
      XDG_CACHE_HOME: join(home, "cache"),
      CLAUDE_CONFIG_DIR: join(home, "claude"),
    };
    const projects = join(home, "src");
    for (const dir of [env.HOME, env.CLAUDE_CONFIG_DIR, projects, join(env.XDG_CONFIG_HOME, "csm")]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(env.XDG_CONFIG_HOME, "csm", "config.json"), JSON.stringify({ pathMap: { "{{PROJECTS}}": projects }, machineName: name }));
    const cwd = join(projects, "app");
    mkdirSync(cwd);
    const csm = (args: string[]) => sb.csm(args, { env });
    expect((await csm(["sync", "init", bare])).code).toBe(0);
    return { env, cwd, csm, transcript: (id: string) => join(env.CLAUDE_CONFIG_DIR, "projects", projectSlug(cwd), `${id}.jsonl`) };
  };
  return { a: await machine("laptop"), b: await machine("devbox") };
}

type Machine = Awaited<ReturnType<typeof twoMachines>>["a"];

/** Conversation `id` started on `a`, pushed, and pulled by `b`: both machines hold it. */
async function sharedBoth(a: Machine, b: Machine, id: string) {
  mkdirSync(join(a.transcript(id), ".."), { recursive: true });
  writeFileSync(a.transcript(id), record(id, "u1", null, "hello", a.cwd));
  expect((await a.csm(["sync", "push"])).code).toBe(0);
  expect((await b.csm(["sync", "pull"])).code).toBe(0);
}

test("a title set here survives a pull of the same conversation gone on elsewhere: both copies kept, nothing dropped", async () => {
  await using sb = await makeSandbox();
  const { a, b } = await twoMachines(sb);
  const id = "11111111-1111-4111-8111-111111111111";
  await sharedBoth(a, b, id);

  const title = `${JSON.stringify({ type: "custom-title", customTitle: "Important", sessionId: id })}\n`;
  appendFileSync(a.transcript(id), title);
  appendFileSync(b.transcript(id), record(id, "u2", "u1", "more from devbox", b.cwd));
  expect((await b.csm(["sync", "push"])).code).toBe(0);
  const mine = readFileSync(a.transcript(id), "utf8");
  expect((await a.csm(["sync", "pull"])).code).toBe(0);
  expect(readFileSync(a.transcript(id), "utf8")).toBe(mine);
  const copies = readdirSync(join(a.transcript(id), "..")).filter((name) => name.endsWith(".jsonl"));
  expect(copies).toHaveLength(2);
  const theirs = copies.map((name) => readFileSync(join(a.transcript(id), "..", name), "utf8")).find((text) => text.includes("more from devbox"));
  expect(theirs).toBeDefined();
});

test("a conversation a claude here has open is not replaced by a pull: skipped, and said why", async () => {
  await using sb = await makeSandbox();
  const { a, b } = await twoMachines(sb);
  const id = "22222222-2222-4222-8222-222222222222";
  await sharedBoth(a, b, id);
  appendFileSync(b.transcript(id), record(id, "u2", "u1", "more from devbox", b.cwd));
  expect((await b.csm(["sync", "push"])).code).toBe(0);

  // A claude on the laptop holds it: its sessions/<pid>.json names a process that runs.
  const claude = Bun.spawn(["sleep", "60"]);
  try {
    mkdirSync(join(a.env.CLAUDE_CONFIG_DIR, "sessions"), { recursive: true });
    writeFileSync(join(a.env.CLAUDE_CONFIG_DIR, "sessions", `${claude.pid}.json`), JSON.stringify({ pid: claude.pid, sessionId: id, cwd: a.cwd }));
    const mine = readFileSync(a.transcript(id), "utf8");
    const pulled = await a.csm(["sync", "pull"]);
    // A conversation left alone is an error to see, as every skipped one is.
    expect(pulled.code).toBe(1);
    expect(`${pulled.stdout}${pulled.stderr}`).toContain(`a claude (pid ${claude.pid}) has it open here`);
    expect(readFileSync(a.transcript(id), "utf8")).toBe(mine);
  } finally {
    claude.kill();
    await claude.exited;
  }
  // Once it ended, the pull goes on.
  expect((await a.csm(["sync", "pull"])).code).toBe(0);
  expect(readFileSync(a.transcript(id), "utf8")).toContain("more from devbox");
});

test("a fork continued here is never replaced by a pull, even once the sync state is lost; pulled copies stay private (0600)", async () => {
  await using sb = await makeSandbox();
  const { a, b } = await twoMachines(sb);
  const id = "33333333-3333-4333-8333-333333333333";
  await sharedBoth(a, b, id);
  // Both go on: the laptop's pull keeps devbox's copy beside its own, as a fork.
  appendFileSync(a.transcript(id), record(id, "u2", "u1", "more from laptop", a.cwd));
  appendFileSync(b.transcript(id), record(id, "u3", "u1", "more from devbox", b.cwd));
  expect((await b.csm(["sync", "push"])).code).toBe(0);
  expect((await a.csm(["sync", "pull"])).code).toBe(0);
  const dir = join(a.transcript(id), "..");
  const fork = readdirSync(dir).find((name) => name.endsWith(".jsonl") && !name.startsWith(id))!;
  expect(fork).toBeDefined();
  expect(statSync(join(dir, fork)).mode & 0o777).toBe(0o600);

  // The fork is resumed and goes on here; then the sync state is lost.
  const forkId = fork.slice(0, -".jsonl".length);
  appendFileSync(join(dir, fork), record(forkId, "u9", "u3", "the fork went on here", a.cwd));
  const continued = readFileSync(join(dir, fork), "utf8");
  rmSync(join(a.env.XDG_DATA_HOME, "csm", "sync", "state.json"), { force: true });
  const pulled = await a.csm(["sync", "pull"]);
  expect(`${pulled.stdout}${pulled.stderr}`).toContain(`its fork ${join(dir, fork)} here went on`);
  expect(readFileSync(join(dir, fork), "utf8")).toBe(continued);
});
