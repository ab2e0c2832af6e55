import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";
import { createNative, press, waitForScreen } from "../helpers/native.ts";
import { worktreePath } from "../helpers/sessions.ts";

// What a native session leaves on disk: its hooks settings and the copy of claude's status
// input are csm's own, private, and gone after `csm kill`; the user's claude settings are
// never touched, and claude's own config gains only the worktree's trust.

setDefaultTimeout(60_000);

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const readIfThere = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : null);

type ClaudeJson = { projects: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** A native session through its first turn, and where its csm-owned files are. */
async function readySession(live: LiveSandbox, name: string) {
  const hooksDir = join(live.sb.paths.stateHome, "csm", "hooks");
  const files = { hooksDir, settingsFile: join(hooksDir, `${name}.json`), statusCopy: join(hooksDir, `${name}.status.json`) };
  live.fake.reply(textReply("ready"));
  await createNative(live, name, "get ready");
  await live.waitForSession(name, "idle", (s) => s.status === "idle" && s.turns === 1, 30_000);
  // The status copy is written by claude's statusLine command, once claude has drawn its footer.
  await live.sb.waitFor(() => existsSync(files.statusCopy), { what: "claude's status copy" });
  return files;
}

const waitGone = (live: LiveSandbox, paths: string[]) =>
  live.sb.waitFor(() => paths.every((path) => !existsSync(path)), { what: `${paths.join(", ")} removed`, timeoutMs: 5_000 }).catch(() => undefined);

test("native: the hooks settings file is csm's own and private; the user's claude settings are never written", async () => {
  await using live = await makeLiveSandbox();
  expect(live.sb.env.HOME).toBe(live.sb.paths.home);
  const userSettings = [
    join(live.sb.paths.home, ".claude", "settings.json"),
    join(live.sb.paths.home, ".claude.json"),
    join(live.claudeEnv.CLAUDE_CONFIG_DIR!, "settings.json"),
  ];
  const before = userSettings.map(readIfThere);
  expect(before).toEqual([null, null, null]);

  const { hooksDir, settingsFile } = await readySession(live, "private");
  expect([settingsFile, hooksDir].map((path) => [path, modeOf(path)])).toEqual([
    [settingsFile, "600"],
    [hooksDir, "700"],
  ]);
  expect(Object.keys(JSON.parse(readFileSync(settingsFile, "utf8")) as object)).toEqual(expect.arrayContaining(["hooks", "statusLine"]));
  expect(userSettings.map(readIfThere)).toEqual(before);

  expect(await live.sb.csm(["kill", "private"])).toMatchObject({ code: 0 });
  expect(userSettings.map(readIfThere)).toEqual(before);
});

// Product bug (reported): claude's statusLine runs `cat > FILE` (link/native-settings.ts,
// statusLineCommand) under claude's umask, so the copy is 0644, not 0600.
test("native: claude's status copy is 0600", async () => {
  await using live = await makeLiveSandbox();
  const { statusCopy } = await readySession(live, "private");
  expect(modeOf(statusCopy)).toBe("600");
});

// Product bug (reported): `csm kill` ends the pane (SIGHUP) before `csm native` can clean
// up, and killSession (core/sessions/kill.ts) removes the launch spec only.
test("native: csm kill removes the hooks settings file and the status copy", async () => {
  await using live = await makeLiveSandbox();
  const { settingsFile, statusCopy } = await readySession(live, "killed");
  expect(await live.sb.csm(["kill", "killed"])).toMatchObject({ code: 0 });
  await waitGone(live, [settingsFile, statusCopy]);
  expect([settingsFile, statusCopy].filter((path) => existsSync(path))).toEqual([]);
});

// Product bug (reported): the supervisor's cleanup (cli/commands/native.ts, serveHooks' stop)
// starts the removal without awaiting it and the process exits: the status copy stays.
test("native: claude exiting on its own (/exit) removes the hooks settings file and the status copy", async () => {
  await using live = await makeLiveSandbox();
  const { settingsFile, statusCopy } = await readySession(live, "leaver");
  await live.sb.tmux(["send-keys", "-t", "=csm-leaver:agent", "-l", "/exit"]);
  await waitForScreen(live, "leaver", "/exit");
  await press(live, "leaver", "Enter");
  await live.waitForSession("leaver", "dead", (s) => s.status === "dead" && s.statusReason === "claude exited with status 0 (its session ended: prompt_input_exit)", 10_000);
  await waitGone(live, [settingsFile, statusCopy]);
  expect([settingsFile, statusCopy].filter((path) => existsSync(path))).toEqual([]);
});

test("native: the only change csm makes to claude's .claude.json is the worktree's trust", async () => {
  await using live = await makeLiveSandbox();
  const claudeJson = join(live.claudeEnv.CLAUDE_CONFIG_DIR!, ".claude.json");
  const before = readFileSync(claudeJson, "utf8");

  // claude itself writes this file too, once it runs: csm's write is the first version after
  // `before` (csm marks the worktree trusted before the pane starts claude), so every version
  // is kept while the session is created.
  const versions: string[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const text = readIfThere(claudeJson);
      if (text !== null && text !== (versions.at(-1) ?? before)) versions.push(text);
      await Bun.sleep(2);
    }
  })();
  live.fake.reply(textReply("ready"));
  try {
    await createNative(live, "trusting", "get ready");
    await live.waitForSession("trusting", "idle", (s) => s.status === "idle" && s.turns === 1, 30_000);
  } finally {
    watching = false;
    await watcher;
  }

  const worktree = worktreePath(live.sb, live.repo, "trusting");
  const trusted = [...new Set([worktree, realpathSync(worktree)])];
  const original = JSON.parse(before) as ClaudeJson;
  expect(versions.length).toBeGreaterThan(0);
  const byCsm = JSON.parse(versions[0]!) as ClaudeJson;
  expect(byCsm).toEqual({ ...original, projects: { ...original.projects, ...Object.fromEntries(trusted.map((path) => [path, { hasTrustDialogAccepted: true }])) } });

  // After claude ran: what was there before is still there, and the worktree still trusted.
  const after = JSON.parse(readFileSync(claudeJson, "utf8")) as ClaudeJson;
  for (const [key, value] of Object.entries(original)) if (key !== "projects") expect(after[key]).toEqual(value);
  for (const [path, entry] of Object.entries(original.projects)) expect(after.projects[path]).toMatchObject(entry);
  for (const path of trusted) expect(after.projects[path]).toMatchObject({ hasTrustDialogAccepted: true });
});
