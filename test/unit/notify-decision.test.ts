import { describe, expect, test } from "bun:test";
import { validateConfig } from "../../src/config/schema.ts";
import { shouldNotify, transitionOf } from "../../src/core/notify/decide.ts";
import { notificationFor, type Notification, type NotifyKind, type SessionFacts } from "../../src/core/notify/notification.ts";
import { NotifyTracker } from "../../src/core/notify/notify-tracker.ts";
import { terminalAlert } from "../../src/core/notify/terminal-alert.ts";
import { ntfyTarget, webhookRequest } from "../../src/core/notify/webhook-request.ts";
import type { SessionStatus } from "../../src/core/sessions/session-view.ts";
import { statusLineOf } from "../../src/hub/status-summary.ts";

test.each([
  [undefined, "waiting", null],
  [undefined, "dead", null],
  ["working", "waiting", "waiting"],
  ["idle", "waiting", "waiting"],
  ["starting", "waiting", "waiting"],
  ["waiting", "waiting", null],
  ["working", "idle", "turn-ended"],
  ["waiting", "idle", "turn-ended"],
  ["starting", "idle", null],
  ["unknown", "idle", null],
  ["idle", "working", null],
  ["waiting", "working", null],
  ["working", "dead", "dead"],
  ["idle", "dead", "dead"],
  ["dead", "dead", null],
  ["dead", "idle", null],
] as [SessionStatus | undefined, SessionStatus, NotifyKind | null][])("%s → %s: %s", (previous, next, kind) => {
  expect(transitionOf(previous, next)).toBe(kind);
});

test.each([
  ["waiting", false, ["waiting"], true],
  ["waiting", true, ["waiting"], false],
  ["waiting", undefined, ["waiting"], true],
  ["turn-ended", false, ["waiting"], false],
  ["turn-ended", false, ["waiting", "turn-ended"], true],
  ["dead", false, ["dead"], true],
  [null, false, ["waiting", "turn-ended", "dead"], false],
] as [NotifyKind | null, boolean | undefined, NotifyKind[], boolean][])("%s, muted %s, on %j: %s", (kind, muted, on, sent) => {
  expect(shouldNotify(kind, muted, on)).toBe(sent);
});

/** A tracker on a hand-driven clock: `tick()` runs what is due. */
function trackerRig(on: NotifyKind[] = ["waiting"]) {
  let now = 0;
  const due: { at: number; work: () => void }[] = [];
  const sent: Notification[] = [];
  const tracker = new NotifyTracker({
    settleMs: 500,
    on: () => on,
    schedule: (delayMs, work) => void due.push({ at: now + delayMs, work }),
    now: () => new Date(Date.UTC(2026, 0, 1) + now),
    emit: (kind, facts, at) => void sent.push(notificationFor(kind, facts, at)),
  });
  const facts = (status: SessionStatus, extra: Partial<SessionFacts> = {}): SessionFacts => ({
    name: "fix-login",
    host: "local",
    status,
    statusReason: null,
    pendingApprovals: status === "waiting" ? 1 : 0,
    lastMessage: null,
    ...extra,
  });
  const tick = (ms: number) => {
    now += ms;
    for (const item of due.splice(0).sort((a, b) => a.at - b.at)) {
      if (item.at <= now) item.work();
      else due.push(item);
    }
  };
  return { tracker, sent, facts, tick, on };
}

describe("the tracker", () => {
  test("a change that holds is sent once, after it settled", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting", { firstRequest: { toolName: "Bash", input: { command: "rm -rf build" } } }));
    tick(499);
    expect(sent).toEqual([]);
    tick(1);
    expect(sent).toEqual([expect.objectContaining({ kind: "waiting", session: "fix-login", title: "csm: fix-login is waiting for you", message: "Bash: rm -rf build" })]);
    tick(10_000);
    expect(sent).toHaveLength(1);
  });

  test("a burst of 50 requests is one message, which counts them", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    for (let i = 1; i <= 50; i++) tracker.observe(facts("waiting", { pendingApprovals: i, firstRequest: { toolName: "Read", input: { file_path: "/a" } } }));
    tick(1000);
    for (let i = 49; i >= 1; i--) tracker.observe(facts("waiting", { pendingApprovals: i }));
    tick(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toBe("Read: /a (and 49 more)");
    expect(sent[0]!.pendingApprovals).toBe(50);
  });

  test("waiting that a rule answers before it settles is not sent (debounce)", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    for (let i = 0; i < 5; i++) {
      tracker.observe(facts("waiting"));
      tick(20);
      tracker.observe(facts("working"));
      tick(20);
    }
    tick(1000);
    expect(sent).toEqual([]);
  });

  test("flapping that ends waiting is one message, from the last change", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting"));
    tick(100);
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting"));
    tick(499);
    expect(sent).toEqual([]);
    tick(1);
    expect(sent).toHaveLength(1);
  });

  test("each new wait after the person answered is its own message", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting"));
    tick(1000);
    tracker.observe(facts("working"));
    tick(1000);
    tracker.observe(facts("waiting"));
    tick(1000);
    expect(sent.map((n) => n.kind)).toEqual(["waiting", "waiting"]);
  });

  test("muted: nothing, even when muted while the change settles; unmuted: again", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working", { muted: true }));
    tracker.observe(facts("waiting", { muted: true }));
    tick(1000);
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting"));
    tracker.observe(facts("waiting", { muted: true }));
    tick(1000);
    expect(sent).toEqual([]);
    tracker.observe(facts("working"));
    tracker.observe(facts("waiting"));
    tick(1000);
    expect(sent).toHaveLength(1);
  });

  test("only the kinds in `on`", () => {
    const { tracker, sent, facts, tick } = trackerRig(["turn-ended", "dead"]);
    for (const status of ["working", "waiting", "working", "idle", "working", "dead"] as const) {
      tracker.observe(facts(status, { lastMessage: "all done", statusReason: status === "dead" ? "claude exited with status 1" : null }));
      tick(1000);
    }
    expect(sent.map((n) => [n.kind, n.message])).toEqual([
      ["turn-ended", "all done"],
      ["dead", "claude exited with status 1"],
    ]);
  });

  test("sessions are apart; a forgotten one says nothing more", () => {
    const { tracker, sent, facts, tick } = trackerRig();
    tracker.observe(facts("working"));
    tracker.observe(facts("working", { name: "other" }));
    tracker.observe(facts("waiting"));
    tracker.observe(facts("waiting", { name: "other" }));
    tracker.forget("local", "other");
    tick(1000);
    expect(sent.map((n) => n.session)).toEqual(["fix-login"]);
  });

  test("the first view of a session is no change (a restarted hub does not repeat itself)", () => {
    const { tracker, sent, facts, tick } = trackerRig(["waiting", "dead"]);
    tracker.observe(facts("waiting"));
    tracker.observe(facts("dead", { name: "gone" }));
    tick(1000);
    expect(sent).toEqual([]);
  });
});

test("text from a session cannot carry escape sequences or extra lines", () => {
  const n = notificationFor("turn-ended", { name: "x", host: "devbox", status: "idle", statusReason: null, pendingApprovals: 0, lastMessage: "done\x1b]0;pwned\x07\nFAKE: line" }, new Date(0));
  expect(n.title).toBe("csm: x@devbox finished its turn");
  expect(n.message).toBe("done␛]0;pwned␇ FAKE: line");
  expect(notificationFor("turn-ended", { name: "x", host: "local", status: "idle", statusReason: null, pendingApprovals: 0, lastMessage: "y".repeat(500) }, new Date(0)).message).toHaveLength(200);
});

describe("webhook formats", () => {
  const n = notificationFor("waiting", { name: "api", host: "local", status: "waiting", statusReason: null, pendingApprovals: 2, lastMessage: null, firstRequest: { toolName: "Bash", input: { command: "a < b && c" } } }, new Date(0));

  test("json: the notification as it is", () => {
    const request = webhookRequest("https://hooks.example/x?k=1", "json", n);
    expect(request.url).toBe("https://hooks.example/x?k=1");
    expect(JSON.parse(request.body)).toEqual(n);
  });

  test("ntfy: JSON publishing at the root, the topic in the body", () => {
    const request = webhookRequest("https://ntfy.example/csm", "ntfy", n);
    expect(request.url).toBe("https://ntfy.example/");
    expect(JSON.parse(request.body)).toEqual({ topic: "csm", title: "csm: api is waiting for you", message: "Bash: a < b && c (and 1 more)", tags: ["bell"], priority: 4 });
    expect(ntfyTarget("http://127.0.0.1:8080/base/alerts")).toEqual({ root: "http://127.0.0.1:8080/base/", topic: "alerts" });
    expect(ntfyTarget("https://ntfy.example/")).toBeNull();
  });

  test("slack: text, with Slack's escapes", () => {
    const request = webhookRequest("https://hooks.slack.com/services/T/B/C", "slack", n);
    expect(JSON.parse(request.body)).toEqual({ text: "*csm: api is waiting for you*\nBash: a &lt; b &amp;&amp; c (and 1 more)" });
  });
});

describe("the dashboard's terminal alert", () => {
  test("a bell and OSC 9 by default; OSC 777 on VTE; wrapped for tmux", () => {
    expect(terminalAlert("csm: a", "b", {})).toBe("\x07\x1b]9;csm: a: b\x07");
    expect(terminalAlert("csm: a", "b", { VTE_VERSION: "7600" })).toBe("\x07\x1b]777;notify;csm: a;b\x07");
    expect(terminalAlert("t", "b", { TMUX: "/tmp/tmux-1/default,1,0" })).toBe("\x07\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\");
  });

  test("a hostile name or message cannot end the OSC or start another sequence", () => {
    const out = terminalAlert("csm: evil\x07\x1b]52;c;AAAA\x07", "x\x9b2J;y\u202e", { VTE_VERSION: "1" });
    // Exactly the bell, one OSC's start and its end: nothing else a terminal would obey.
    expect(out.match(/[\x00-\x1f\x7f-\x9f]/g)).toEqual(["\x07", "\x1b", "\x07"]);
    expect(out.split(";")).toHaveLength(4);
  });
});

test.each([
  [[], ""],
  [["dead", "unknown"], ""],
  [["waiting", "waiting", "working", "working", "working", "idle"], "◆2 waiting ●3 working ○1 idle"],
  [["idle", "starting"], "○1 idle"],
  [["working", "waiting"], "◆1 waiting ●1 working"],
] as [SessionStatus[], string][])("status line of %j: %j", (statuses, line) => {
  expect(statusLineOf(statuses)).toBe(line);
});

describe("config notify", () => {
  const path = "/c.json";
  const fails = (notify: unknown, field: string) => expect(() => validateConfig({ notify }, path)).toThrow(`config ${path}: ${field}:`);

  test("a full one passes unchanged", () => {
    const notify = { on: ["waiting", "turn-ended", "dead"], command: ["notify-me", "--json"], webhook: { url: "https://ntfy.example/csm", format: "ntfy" }, desktop: true };
    expect(validateConfig({ notify }, path).notify).toEqual(notify as never);
  });

  test.each([
    [{ on: "waiting" }, "notify.on"],
    [{ on: ["waiting", "asleep"] }, "notify.on[1]"],
    [{ command: "notify-me --json" }, "notify.command"],
    [{ command: [] }, "notify.command"],
    [{ command: ["ok", 3] }, "notify.command[1]"],
    [{ webhook: "https://x" }, "notify.webhook"],
    [{ webhook: {} }, "notify.webhook.url"],
    [{ webhook: { url: "ftp://x/y" } }, "notify.webhook.url"],
    [{ webhook: { url: "https://x/y", format: "teams" } }, "notify.webhook.format"],
    [{ webhook: { url: "https://ntfy.sh", format: "ntfy" } }, "notify.webhook.url"],
    [{ desktop: "yes" }, "notify.desktop"],
    [{ sound: true }, "notify.sound"],
  ])("%j is refused at %s", (notify, field) => fails(notify, field));
});
