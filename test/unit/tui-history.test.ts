import { expect, test } from "bun:test";
import type { ConversationInfo, ConversationRecord, SearchHit } from "../../src/core/conversations/conversation-record.ts";
import type { SessionView } from "../../src/core/sessions/session-view.ts";
import { HistoryTab, type ConversationsApi, type Timers } from "../../src/tui/history-tab.ts";
import { answered, asked, resumedAs, type ConversationsAnswer } from "../../src/tui/history-view-state.ts";
import { resolveKey } from "../../src/tui/keys/keys-for.ts";
import { applyPureAction } from "../../src/tui/keys/pure-actions.ts";
import { applySessions, initialModel, setConnection, typeText, type TuiModel } from "../../src/tui/model.ts";
import { dashboardView } from "../../src/tui/views/dashboard.ts";
import { footerView } from "../../src/tui/views/footer.ts";
import { snippetMarkup, stateText } from "../../src/tui/views/history-view.ts";
import { plainText, visibleWidth } from "../../src/tui/views/markup.ts";
import { liveSession } from "../helpers/live-session.ts";

// The History view (`h`): every conversation newest first, search as you type (debounced,
// stale answers dropped), a conversation's info on Enter, r resumes, Esc goes back.

const now = new Date("2026-11-21T12:00:00.000Z");

const record = (id: string, extra: Partial<ConversationRecord> = {}): ConversationRecord => ({
  id,
  host: "local",
  cwd: "/home/ada/src/api",
  project: "-home-ada-src-api",
  title: "Refactor the router",
  state: "transcript",
  session: null,
  pid: null,
  pidElsewhere: false,
  turns: 3,
  startedAt: "2026-11-21T09:00:00.000Z",
  lastActiveAt: "2026-11-21T11:00:00.000Z",
  sizeBytes: 12_000,
  path: `/home/ada/.claude/projects/-home-ada-src-api/${id}.jsonl`,
  subagents: 0,
  ...extra,
});

const listed: ConversationsAnswer = {
  conversations: [
    record("4f1c2a9e-0000-4000-8000-000000000001", { title: "Fix the {login} bug \u001b]0;pwned\u0007", lastActiveAt: "2026-11-21T11:58:00.000Z" }),
    record("7b2d3c4e-0000-4000-8000-000000000002", { host: "devbox", cwd: "/srv/gpu-bench", title: "Benchmark the kernels", state: "csm", session: "bench" }),
    record("9a8b7c6d-0000-4000-8000-000000000003", { title: "", turns: 0, state: "live", pid: 4242, lastActiveAt: "2026-11-18T10:00:00.000Z" }),
  ],
  hosts: [
    { host: "local", error: null },
    { host: "devbox", error: null },
    { host: "gpu2", error: "connection timed out" },
  ],
};

const hit = (id: string, snippet: string, extra: Partial<ConversationRecord> = {}): SearchHit => ({ ...record(id, extra), snippet, rank: -3.2 });

const info: ConversationInfo = {
  ...listed.conversations[0]!,
  customTitle: null,
  aiTitle: null,
  gitBranch: "fix/login",
  version: "2.1.330",
  models: ["claude-opus-4-5-20251101"],
  firstPrompt: "Fix the {login} bug: users with a + in their email cannot sign in",
  replies: 4,
  outputTokens: 1234,
  compactions: 1,
  lastToolUse: { id: "toolu_1", name: "Bash", input: "bun test test/login.test.ts", answered: false },
  lastError: { text: "API Error: 529 overloaded" },
  ending: "ended while running Bash bun test test/login.test.ts",
  skipped: {},
};

const connected = (): TuiModel => setConnection(applySessions(initialModel(["local", "devbox"]), [liveSession("api")]), { state: "connected" });

const press = (model: TuiModel, key: string): TuiModel => {
  const resolved = resolveKey(model, key);
  if (!resolved || "disabled" in resolved) throw new Error(`${key} does nothing here: ${JSON.stringify(resolved)}`);
  const next = applyPureAction(model, resolved.action);
  if (!next) throw new Error(`${key} (${resolved.action}) is not pure`);
  return next;
};

/** The History view with `answer` on screen, as the first question's answer. */
function opened(answer: ConversationsAnswer = listed): TuiModel {
  const model = press(connected(), "h");
  return { ...model, history: answered(asked(model.history!, 1), 1, "", answer) };
}

const screen = (model: TuiModel, width = 100, height = 30) => dashboardView(model, now, width, height);
const text = (model: TuiModel, width = 100, height = 30) => screen(model, width, height).map(plainText).join("\n");

test("h opens the History view from the session list; Esc and q go back to the list", () => {
  const model = press(connected(), "h");
  expect(model.mode).toBe("history");
  expect(text(model)).toContain("Reading conversations from every host…");
  expect(press(model, "escape")).toMatchObject({ mode: "list", history: null });
  expect(press(model, "q")).toMatchObject({ mode: "list", history: null });
  // h needs the hub: the footer says so instead of doing nothing.
  expect(resolveKey(setConnection(connected(), { state: "connecting" }), "h")).toEqual({ action: "history", disabled: "hub not connected" });
});

test("the rows: id prefix, host, project, title, turns, last active and state, newest first, foreign text escaped", () => {
  const model = opened();
  const lines = screen(model).map(plainText);
  const title = lines.find((line) => line.includes("PROJECT"))!;
  for (const column of ["ID", "HOST", "PROJECT", "TITLE", "TURNS", "ACTIVE", "STATE"]) expect(title).toContain(column);
  const all = lines.join("\n");
  expect(all).toContain("3 conversations, newest first");
  expect(all).toContain("gpu2: connection timed out");
  expect(lines.find((line) => line.includes("4f1c2a9e"))).toMatch(/^› 4f1c2a9e local +api +Fix the \{login\} bug ␛]0;pwned␇ +3 +2m transcript/);
  expect(lines.find((line) => line.includes("7b2d3c4e"))).toMatch(/devbox +gpu-bench +Benchmark the kernels .* csm:bench/);
  expect(lines.find((line) => line.includes("9a8b7c6d"))).toMatch(/\(no prompt\) +0 +3d live:4242/);
  expect(all).not.toContain("4f1c2a9e-0000");
  expect(screen(model).join("\n")).not.toContain("\u001b");
  for (const width of [60, 80, 120]) for (const line of screen(model, width, 24)) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
});

test("↑↓ move the selection; the footer comes from the key table", () => {
  const model = press(opened(), "down");
  expect(model.history!.selected).toBe("7b2d3c4e-0000-4000-8000-000000000002@devbox");
  expect(plainText(screen(model).find((line) => line.includes("7b2d3c4e"))!)).toStartWith("›");
  const footer = plainText(footerView(model, 200, 2).join(" "));
  for (const key of ["↑↓ move", "Enter info", "/ search", "Esc back", "? help"]) expect(footer).toContain(key);
  // It runs in csm already: r says where instead of resuming it twice.
  expect(footer).toContain("r resume: it runs in csm session bench");
  expect(resolveKey(model, "r")).toEqual({ action: "resume-conversation", disabled: "it runs in csm session bench" });
  expect(resolveKey(press(model, "up"), "r")).toEqual({ action: "resume-conversation" });
});

test("/ opens the search box: letters are typed (q too), Enter keeps the search, Esc clears it", () => {
  let model = press(opened(), "/");
  expect(model.mode).toBe("history-search");
  for (const ch of "quo") model = typeText(model, ch);
  expect(model.history!.query).toBe("quo");
  expect(model.mode).toBe("history-search");
  expect(text(model)).toContain("search: quo");
  expect(press(model, "backspace").history!.query).toBe("qu");
  const kept = press(model, "enter");
  expect(kept).toMatchObject({ mode: "history", history: { query: "quo" } });
  expect(press(model, "escape")).toMatchObject({ mode: "history", history: { query: "" } });
  expect(resolveKey(model, "q")).toBeNull();
  expect(resolveKey(model, "C-c")).toEqual({ action: "quit" });
});

test("hits show best first with their snippet, the hit marked by csm and the text escaped", () => {
  const hits: ConversationsAnswer = {
    conversations: [
      hit("aaaa1111-0000-4000-8000-000000000001", "the \x02pelican\x03 and the {gull}\u001b[2J flew"),
      hit("bbbb2222-0000-4000-8000-000000000002", "one more \x02pelican\x03", { host: "devbox" }),
    ],
    hosts: [{ host: "local", error: null }],
  };
  const model = opened();
  const searched = { ...model, history: answered(asked({ ...model.history!, query: "pelican" }, 2), 2, "pelican", hits) };
  const markup = screen(searched).join("\n");
  expect(markup).toContain("{bold}{yellow-fg}pelican{/yellow-fg}{/bold}");
  expect(markup).toContain("{open}gull{close}");
  expect(markup).not.toMatch(/[\x02\x03\x1b]/);
  const lines = screen(searched).map(plainText);
  expect(lines.join("\n")).toContain('2 hits for "pelican", best first');
  const first = lines.findIndex((line) => line.includes("aaaa1111"));
  expect(lines[first + 1]).toContain("the pelican and the {gull}␛[2J flew");
  expect(lines[first + 2]).toContain("bbbb2222");
  // The selection moved to the best hit: the old one is not among them.
  expect(searched.history!.selected).toBe("aaaa1111-0000-4000-8000-000000000001@local");
  const none = { ...searched, history: answered(asked(searched.history!, 3), 3, "zebra", { conversations: [], hosts: [] }) };
  expect(text(none)).toContain('No conversation mentions "zebra".');
});

test("a snippet keeps its hit in view: a long start is cut before it", () => {
  const line = plainText(snippetMarkup(`${"lorem ipsum ".repeat(20)}\x02needle\x03 after`, 60));
  expect(line).toStartWith("…");
  expect(line.indexOf("needle")).toBeLessThan(30);
  expect(plainText(snippetMarkup("no marks at all", 60))).toBe("no marks at all");
});

test("an answer to an older question is dropped; a failure is shown and keeps the rows", () => {
  const model = opened();
  let history = asked(model.history!, 5);
  history = answered(history, 4, "old", { conversations: [], hosts: [] });
  expect(history.rows).toHaveLength(3);
  expect(history.loading).toBe(true);
  history = answered(history, 5, "", { error: "the hub stopped" });
  expect(history).toMatchObject({ loading: false, error: "the hub stopped" });
  expect(text({ ...model, history })).toContain("✗ the hub stopped");
  expect(text({ ...model, history })).toContain("4f1c2a9e");
});

test("Enter shows the conversation's info, escaped; Esc goes back to the rows", () => {
  const model = press(opened(), "enter");
  expect(model.mode).toBe("conversation");
  expect(text(model)).toContain("Reading conversation 4f1c2a9e…");
  const shown = { ...model, history: { ...model.history!, info } };
  const all = text(shown, 100, 40);
  for (const expected of [
    "/home/ada/src/api",
    "fix/login",
    "2.1.330",
    "claude-opus-4-5-20251101",
    "3 turns · 4 replies · 1234 output tokens · 1 compactions · 0 sub-agents",
    "Bash bun test test/login.test.ts (not answered)",
    "API Error: 529 overloaded",
    "ended while running Bash",
    "Fix the {login} bug: users with a + in their email cannot sign in",
  ]) {
    expect(all).toContain(expected);
  }
  expect(screen(shown, 100, 40).join("\n")).not.toContain("\u001b");
  const footer = plainText(footerView(shown, 200, 2).join(" "));
  expect(footer).toContain("r resume");
  expect(footer).toContain("Esc back");
  expect(press(shown, "escape")).toMatchObject({ mode: "history" });
  expect(press(shown, "q").mode).toBe("history");
});

test("a resumed conversation's session is selected in the list", () => {
  const model = resumedAs(press(opened(), "enter"), "birds@local");
  expect(model).toMatchObject({ mode: "list", history: null, selected: "birds@local" });
});

// ---- the controller: what it asks the hub, and when ----

class FakeTimers implements Timers {
  now = 0;
  private pending: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;
  setTimeout(run: () => void, ms: number) {
    const id = ++this.ids;
    this.pending.push({ at: this.now + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }
  advance(ms: number) {
    this.now += ms;
    const due = this.pending.filter((timer) => timer.at <= this.now);
    this.pending = this.pending.filter((timer) => timer.at > this.now);
    for (const timer of due) timer.run();
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function harness() {
  const timers = new FakeTimers();
  const questions: { search?: string; answer: ReturnType<typeof deferred<ConversationsAnswer>> }[] = [];
  const api: ConversationsApi = {
    conversations(query) {
      const answer = deferred<ConversationsAnswer>();
      questions.push({ search: query.search, answer });
      return answer.promise;
    },
    conversation: async (id) => ({ ...info, id }),
    resumeConversation: async () => ({ name: "birds", host: "local" }) as SessionView,
  };
  let model = connected();
  const tab = new HistoryTab(api, () => model, (next) => (model = next), timers, 150);
  const key = (change: (m: TuiModel) => TuiModel) => {
    const before = model;
    model = change(model);
    tab.afterKey(before, model);
  };
  return { timers, questions, tab, key, model: () => model };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

test("opening asks at once; typing asks once per pause, and only the newest answer shows", async () => {
  const { timers, questions, key, model } = harness();
  key((m) => press(m, "h"));
  expect(questions.map((q) => q.search)).toEqual([undefined]);
  questions[0]!.answer.resolve(listed);
  await flush();
  expect(model().history!.rows).toHaveLength(3);

  key((m) => press(m, "/"));
  for (const ch of "pel") {
    key((m) => typeText(m, ch));
    timers.advance(100);
  }
  expect(questions).toHaveLength(1);
  timers.advance(50);
  expect(questions.map((q) => q.search)).toEqual([undefined, "pel"]);
  expect(model().history!.loading).toBe(true);

  key((m) => typeText(m, "i"));
  timers.advance(150);
  expect(questions.map((q) => q.search)).toEqual([undefined, "pel", "peli"]);
  // The newer question is answered first; the older answer, arriving late, is dropped.
  questions[2]!.answer.resolve({ conversations: [hit("cccc3333-0000-4000-8000-000000000003", "a \x02pelican\x03")], hosts: [] });
  await flush();
  questions[1]!.answer.resolve({ conversations: [], hosts: [] });
  await flush();
  expect(model().history).toMatchObject({ shown: "peli", loading: false });
  expect(model().history!.rows.map((row) => row.id)).toEqual(["cccc3333-0000-4000-8000-000000000003"]);

  // Closing cancels a search still waiting for its pause.
  key((m) => typeText(m, "c"));
  key((m) => press(press(m, "escape"), "escape"));
  timers.advance(500);
  expect(questions).toHaveLength(3);
  expect(model().mode).toBe("list");
  // Opened again it asks again at once, even where a History state was left behind (Space jumps away from it).
  key((m) => press(m, "h"));
  key((m) => ({ ...m, mode: "list" }));
  key((m) => press(m, "h"));
  expect(questions.map((q) => q.search)).toEqual([undefined, "pel", "peli", undefined, undefined]);
});

test("Enter reads the selected conversation's info from its host; r resumes it", async () => {
  const { questions, key, model, tab } = harness();
  key((m) => press(m, "h"));
  questions[0]!.answer.resolve(listed);
  await flush();
  key((m) => press(m, "enter"));
  await flush();
  expect(model().mode).toBe("conversation");
  expect(model().history!.info!.id).toBe("4f1c2a9e-0000-4000-8000-000000000001");
  const resumed = tab.resume();
  expect(model().history!.resuming).toBe(true);
  expect(await resumed).toMatchObject({ name: "birds" });
  expect(model().history!.resuming).toBe(false);
});

test("a conversation held in another PID namespace says so instead of a pid that means nothing here", () => {
  expect(stateText(record("x", { state: "live", pid: 77, pidElsewhere: true }))).toBe("live:other-ns");
  expect(stateText(record("y", { state: "live", pid: 77 }))).toBe("live:77");
});
