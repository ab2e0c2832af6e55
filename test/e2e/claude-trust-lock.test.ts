import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createContext } from "../../src/core/context.ts";
import { trustFolder } from "../../src/core/sessions/claude-trust.ts";
import { prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { REAL_CLAUDE } from "../helpers/live.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

// csm marks a native session's worktree trusted in claude's own config. claude saves that
// file under its own lock (the directory `<file>.lock`): csm takes the same lock, so a save
// of claude's never lands between csm's read and csm's rename, and is never lost.

setDefaultTimeout(30_000);

async function setUp(sb: Sandbox) {
  const configDir = join(sb.paths.root, "claude-config");
  mkdirSync(configDir, { recursive: true });
  const file = join(configDir, ".claude.json");
  writeFileSync(file, JSON.stringify({ numStartups: 7, projects: {} }));
  const folder = join(sb.paths.root, "worktree");
  mkdirSync(folder);
  const ctx = await createContext({ ...sb.env, CLAUDE_CONFIG_DIR: configDir });
  return { ctx, file, lock: `${file}.lock`, folder };
}

const trusted = (file: string, folder: string) => (JSON.parse(readFileSync(file, "utf8")) as { projects: Record<string, { hasTrustDialogAccepted?: boolean }> }).projects[folder]?.hasTrustDialogAccepted === true;

test("while claude holds its config lock csm waits, then keeps what claude saved and adds the trust", async () => {
  await using sb = await makeSandbox();
  const { ctx, file, lock, folder } = await setUp(sb);
  try {
    mkdirSync(lock);
    let settled = false;
    const marking = trustFolder(ctx, folder).finally(() => (settled = true));
    await Bun.sleep(300);
    expect(settled).toBe(false);
    // claude saves while it holds the lock, then lets go.
    writeFileSync(file, JSON.stringify({ numStartups: 8, projects: {}, tipsHistory: { x: 1 } }));
    utimesSync(lock, new Date(), new Date());
    await Bun.sleep(100);
    expect(settled).toBe(false);
    rmdirSync(lock);
    expect(await marking).toBeNull();
    const after = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(after).toMatchObject({ numStartups: 8, tipsHistory: { x: 1 } });
    expect(trusted(file, folder)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  } finally {
    ctx.close();
  }
});

test("a lock left by a claude that died (not renewed for over 10 s) is taken over", async () => {
  await using sb = await makeSandbox();
  const { ctx, file, lock, folder } = await setUp(sb);
  try {
    mkdirSync(lock);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, longAgo, longAgo);
    expect(await trustFolder(ctx, folder)).toBeNull();
    expect(trusted(file, folder)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  } finally {
    ctx.close();
  }
});

test("a lock claude keeps renewing past the wait leaves the file as it was, and says claude will ask", async () => {
  await using sb = await makeSandbox();
  const { ctx, file, lock, folder } = await setUp(sb);
  try {
    mkdirSync(lock);
    const before = readFileSync(file, "utf8");
    const renew = setInterval(() => utimesSync(lock, new Date(), new Date()), 500);
    const warning = await trustFolder(ctx, folder).finally(() => clearInterval(renew));
    expect(warning).toBe(`claude holds ${file} locked; it will ask about ${folder} on its own screen (csm attach)`);
    expect(readFileSync(file, "utf8")).toBe(before);
    // claude's lock is claude's: csm never removes one it did not take.
    expect(existsSync(lock)).toBe(true);
  } finally {
    ctx.close();
  }
});

test("the lock csm takes is the one the real claude takes when it saves its config", async () => {
  await using sb = await makeSandbox();
  await using fake = await startFakeAnthropic();
  fake.reply(textReply("hi"));
  const project = join(sb.paths.root, "project");
  mkdirSync(project);
  const env = prepareClaudeEnv({ root: join(sb.paths.root, "claude"), apiUrl: fake.url, projectDir: project });
  const lock = join(env.CLAUDE_CONFIG_DIR!, ".claude.json.lock");
  const seen: boolean[] = [];
  const claude = Bun.spawn([REAL_CLAUDE, "-p", "hello"], { cwd: project, env, stdout: "pipe", stderr: "pipe" });
  const watch = setInterval(() => {
    try {
      seen.push(statSync(lock).isDirectory());
    } catch {
      // Not held right now.
    }
  }, 1);
  expect(await claude.exited).toBe(0);
  clearInterval(watch);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every(Boolean)).toBe(true);
  expect(existsSync(lock)).toBe(false);
});
