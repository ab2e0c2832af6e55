import { expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { processAlive } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

interface Entry {
  id: number;
  name: string;
  endKind: string;
  endReason: string;
  signal: string | null;
  turns: number;
  lastTool: { name: string; input: string; answered: boolean } | null;
  lastMessage: string | null;
  removedAt: string | null;
  session: string;
}

/** Every process below `pid` (claude's tool shells and their children), read from /proc. */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const task of (() => { try { return readdirSync(`/proc/${pid}/task`); } catch { return []; } })()) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const child of children.map(Number)) {
      let cmdline = "";
      try {
        cmdline = readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " ");
      } catch {
        // Gone meanwhile.
      }
      found.push({ pid: child, cmdline }, ...descendants(child));
    }
  }
  return found;
}

// claude is SIGKILLed while its Bash tool runs: the archive says why it ended, what it was
// running, and shows the pane's last output; `kill` afterwards keeps that entry and its log.
test("a session killed mid-tool is archived with its end reason, last tool and pane log; kill keeps it", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", action: "allow" }] });
  live.fake.reply(textReply("ready when you are"));
  await live.create("nightly", ["--prompt", "hello"]);
  await live.waitForSession("nightly", "first turn done", (s) => s.status === "idle" && s.turns === 1);
  // The bridge draws the pane and keeps its log itself: no tmux pipe, no process per session for it.
  expect((await live.sb.tmux(["display-message", "-p", "-t", "=csm-nightly:agent", "#{pane_pipe}"])).stdout.trim()).toBe("0");

  live.fake.reply(bashReply("echo waiting; sleep 30", { text: "let me wait" }));
  expect(await live.sb.csm(["send", "nightly", "wait for it"])).toMatchObject({ code: 0 });
  const events = (await live.api<{ kind: string; data: { event?: string; pid?: number } }[]>("GET", "/api/sessions/nightly/events")).body;
  const claudePid = events.find((e) => e.kind === "link" && e.data.event === "claude_started")!.data.pid!;
  // Ready: the tool's sleep runs under claude.
  const sleeper = await live.sb.waitFor(() => descendants(claudePid).find((p) => /\bsleep 30\b/.test(p.cmdline) && !p.cmdline.includes("echo")) ?? descendants(claudePid).find((p) => p.cmdline.includes("sleep 30")), {
    what: "the Bash tool running",
    timeoutMs: 30_000,
  });
  const toolProcesses = descendants(claudePid);
  process.kill(claudePid, "SIGKILL");
  try {
    await live.waitForSession("nightly", "dead", (s) => s.status === "dead", 10_000);
    const entries = await live.sb.waitFor(
      async () => {
        const list = JSON.parse((await live.sb.csm(["archive", "--json"])).stdout) as Entry[];
        return list.length > 0 ? list : undefined;
      },
      { what: "the archive entry" },
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      name: "nightly",
      endKind: "signal",
      endReason: "claude was killed by SIGKILL",
      signal: "SIGKILL",
      turns: 1,
      lastTool: { name: "Bash", input: "echo waiting; sleep 30", answered: false },
      removedAt: null,
      session: "listed",
    });
    const table = await live.sb.csm(["archive"]);
    expect(table.stdout).toContain("claude was killed by SIGKILL");
    expect(table.stdout).toContain("Bash echo waiting; sleep 30 (no result)");

    // With claude's config dir, as the session had it: the transcript is found there.
    const show = await live.sb.csm(["archive", "show", "nightly"], { env: live.claudeEnv });
    expect(show).toMatchObject({ code: 0 });
    expect(show.stdout).toMatch(/end reason\s+claude was killed by SIGKILL/);
    expect(show.stdout).toMatch(/last tool use\s+Bash echo waiting; sleep 30 \(no result\)/);
    const paneTail = show.stdout.slice(show.stdout.indexOf("pane log tail:"));
    // The bridge's pane showed the conversation up to the tool call.
    expect(paneTail).toContain("wait for it");
    expect(paneTail).not.toContain("(no pane log)");
    expect(show.stdout).toContain("transcript tail:");
    expect(show.stdout).toMatch(/tool\s+Bash echo waiting; sleep 30/);

    // kill afterwards: the entry stays, with the end it had, now marked removed.
    expect(await live.sb.csm(["kill", "nightly", "--force"])).toMatchObject({ code: 0 });
    const [after] = JSON.parse((await live.sb.csm(["archive", "--json"])).stdout) as Entry[];
    expect(after).toMatchObject({ id: entries[0]!.id, endReason: "claude was killed by SIGKILL", session: "removed" });
    expect(after!.removedAt).not.toBeNull();
    const log = await live.sb.csm(["archive", "log", String(after!.id), "--tail-kb", "8"]);
    expect(log).toMatchObject({ code: 0 });
    expect(log.stdout).toContain("wait for it");
    expect(sleeper.pid).toBeGreaterThan(0);
  } finally {
    // The tool's processes were started by this test's claude: end them by pid.
    for (const p of toolProcesses) if (processAlive(p.pid)) process.kill(p.pid, "SIGKILL");
  }
});

test("csm kill of a running session archives it as killed by the user; made again, it is a new entry", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("first"));
  await live.create("again", ["--prompt", "hello"]);
  await live.waitForSession("again", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(await live.sb.csm(["kill", "again"])).toMatchObject({ code: 0 });
  const [killed] = JSON.parse((await live.sb.csm(["archive", "--json"])).stdout) as Entry[];
  expect(killed).toMatchObject({ name: "again", endKind: "killed", endReason: "killed by the user (csm kill)", turns: 1, lastMessage: "first", session: "removed" });

  live.fake.reply(textReply("second"));
  await live.create("again", ["--prompt", "hello again"]);
  await live.waitForSession("again", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(await live.sb.csm(["kill", "again"])).toMatchObject({ code: 0 });
  const both = JSON.parse((await live.sb.csm(["archive", "--json"])).stdout) as Entry[];
  expect(both.map((e) => e.lastMessage)).toEqual(["second", "first"]);
  expect(new Set(both.map((e) => e.id)).size).toBe(2);
  const show = await live.sb.csm(["archive", "show", `#${killed!.id}`]);
  expect(show.stdout).toMatch(/last message\s+first/);
});

// Within its first 10 s a session is not called dead (see hub.ts CREATION_GRACE_MS): the hub
// looks again once that is over, with no client asking.
test("a session whose tmux session went away is archived as tmux gone", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("here"));
  await live.create("vanish", ["--prompt", "hello"]);
  await live.waitForSession("vanish", "idle", (s) => s.status === "idle" && s.turns === 1);
  await live.sb.tmux(["kill-session", "-t", "=csm-vanish"]);
  const entry = await live.sb.waitFor(
    async () => (JSON.parse((await live.sb.csm(["archive", "--json"])).stdout) as Entry[])[0],
    { what: "the archive entry", timeoutMs: 20_000 },
  );
  expect(entry).toMatchObject({ name: "vanish", endKind: "tmux-gone", turns: 1, lastMessage: "here", session: "listed" });
  expect(["tmux session csm-vanish is gone", "claude was killed by SIGHUP", "claude was killed by SIGTERM"]).toContain(entry.endReason);
});
