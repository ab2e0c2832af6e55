import { expect, test } from "bun:test";
import type { LiveSessionView } from "../../src/core/live/live-view.ts";
import { applyEventLog, applyPending, applySessions, initialModel, openCreate, openKill, selectSession, setConnection, setMode, formFailed, type PendingEntry, type TuiModel } from "../../src/tui/model.ts";
import { approvalBannerView } from "../../src/tui/views/approval-banner.ts";
import { dashboardView, requestShownWhole } from "../../src/tui/views/dashboard.ts";
import { killTargets } from "../../src/tui/views/kill-confirm.ts";
import { plainText, visibleWidth, withoutColour } from "../../src/tui/views/markup.ts";
import { sessionListView } from "../../src/tui/views/session-list.ts";
import { STATUS_LOOK } from "../../src/tui/views/theme.ts";
import { liveSession } from "../helpers/live-session.ts";

const now = new Date("2026-11-21T12:00:00.000Z");
const session = (name: string, extra: Partial<LiveSessionView> = {}): LiveSessionView => liveSession(name, { createdAt: "2026-11-21T09:00:00.000Z", turns: 7, costUsd: 1.2345, lastMessage: "I refactored the {router} and all 214 tests pass; the diff is ready for review.", ...extra });

const LONG_COMMAND =
  "docker compose -f docker-compose.ci.yml run --rm --entrypoint /bin/sh api -c 'bun install --frozen-lockfile && bun test test/integration --timeout 60000 && rm -rf /tmp/artifacts/* && tar czf /tmp/artifacts/coverage.tgz coverage/'";

const pending: PendingEntry = {
  session: "migrate-db",
  requestId: "req-7",
  toolName: "Bash",
  input: { command: LONG_COMMAND, description: "Run the integration tests in CI's container" },
  toolUseId: "toolu_7",
  description: null,
  suggestions: [],
  blockedPath: null,
  receivedAt: "2026-11-21T11:58:00.000Z",
};

function fleet(): TuiModel {
  let model = setConnection(initialModel(["local", "devbox"]), { state: "connected" });
  model = applySessions(model, [
    session("api-refactor", { status: "working" }),
    session("docs", { favourite: true }),
    session("migrate-db", { status: "waiting", pendingApprovals: 1 }),
    session("old-spike", { status: "dead", statusReason: "claude exited with status 1", linked: false }),
    session("gpu-bench", { host: "devbox", status: "unknown", model: null, turns: 0, costUsd: 0, lastMessage: null }),
    session("a-session-with-a-rather-long-name-indeed", { status: "starting" }),
  ]);
  return applyPending(model, [pending]);
}

const plain = (lines: string[]) => lines.map(plainText);

function expectFits(lines: string[], width: number, height?: number) {
  for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  if (height !== undefined) expect(lines.length).toBe(height);
}

for (const width of [60, 80, 120]) {
  test(`every screen fits ${width} columns once tags are stripped`, () => {
    let model = fleet();
    expectFits(dashboardView(model, now, width, 24), width, 24);
    model = applyEventLog(setMode(selectSession(model, "migrate-db@local"), "detail"), "migrate-db@local", [
      { session: "migrate-db", seq: 1, at: "2026-11-21T11:50:00.000Z", kind: "sent", data: { type: "user", message: { role: "user", content: "Migrate the orders table" } } },
      { session: "migrate-db", seq: 2, at: "2026-11-21T11:51:00.000Z", kind: "claude", data: { type: "assistant", message: { model: "m", content: [{ type: "text", text: "Looking at the schema {orders}" }] } } },
    ]);
    expectFits(dashboardView(model, now, width, 24), width);
    expectFits(dashboardView(setMode(model, "help"), now, width, 24), width, 24);
    expectFits(dashboardView(openCreate(model, { repo: "/home/ada/src/api" }), now, width, 24), width, 24);
    expectFits(dashboardView(formFailed(openKill(model), "refusing to kill migrate-db: it has work that would be lost (commit and push it, or use --force)", { uncommitted: ["src/db.ts"], unpushed: ["4f1c2a9 wip"] }), now, width, 24), width, 24);
  });
}

test("the list at 80 columns: waiting first, favourite next, glyph + word, pending mark, ★, cost, age", () => {
  const lines = plain(sessionListView(fleet(), now, 80));
  expect(lines[0]).toContain("NAME");
  expect(lines[1]).toMatch(/^› migrate-db .*◆ waiting +!1/);
  expect(lines[2]).toMatch(/^ ★docs .*○ idle/);
  expect(lines.join("\n")).toContain("$1.23");
  expect(lines.join("\n")).toContain("3h");
  expect(lines.find((l) => l.includes("old-spike"))).toContain("claude exited");
  expect(plain(sessionListView(fleet(), now, 120)).find((l) => l.includes("old-spike"))).toContain("claude exited with status 1");
});

test("narrow screens drop columns before the name and status", () => {
  const at60 = plain(sessionListView(fleet(), now, 60))[0]!;
  const at120 = plain(sessionListView(fleet(), now, 120))[0]!;
  expect(at120).toContain("MODEL");
  expect(at120).toContain("HOST");
  expect(at60).not.toContain("MODEL");
  expect(at60).toContain("NAME");
  expect(at60).toContain("STATUS");
});

test("every status has its own glyph and colour", () => {
  const looks = Object.values(STATUS_LOOK);
  expect(new Set(looks.map((look) => look.glyph)).size).toBe(looks.length);
  // The selected row is one plain bar, so look at the others: select one without a status colour.
  const list = sessionListView(selectSession(fleet(), "docs@local"), now, 120).join("\n");
  expect(list).toContain("{yellow-fg}◆ waiting{/yellow-fg}");
  expect(list).toContain("{red-fg}✗ dead{/red-fg}");
  expect(list).toContain("{green-fg}● working{/green-fg}");
  expect(list).toContain("{gray-fg}? unknown{/gray-fg}");
});

test("the selected row is one solid bar: inverse, and no inner tag that would end it", () => {
  const selected = sessionListView(fleet(), now, 120).find((line) => line.includes("migrate-db"))!;
  expect(selected.startsWith("{inverse}")).toBe(true);
  expect(selected.match(/\{\/?[a-z-]+\}/g)!.filter((tag) => tag !== "{open}" && tag !== "{close}")).toEqual(["{inverse}", "{/inverse}"]);
});

test("NO_COLOR output has no colour tags and plain output no tags at all", () => {
  const lines = dashboardView(fleet(), now, 80, 24);
  for (const line of lines.map(withoutColour)) expect(line).not.toMatch(/\{\/?[a-z]+-(fg|bg)\}/);
  for (const line of plain(lines)) expect(line).not.toMatch(/\{\/?(bold|inverse|[a-z]+-fg)\}/);
  expect(plain(dashboardView(fleet(), now, 120, 24)).join("\n")).toContain("{router}");
});

test("the list banner says how many wait and which session, and that Space jumps", () => {
  const [line] = plain(approvalBannerView(fleet(), now, 80));
  expect(line).toContain("1 request waiting");
  expect(line).toContain("migrate-db");
  expect(line).toContain("Space to jump");
});

test("in the session's view the banner shows the whole command, wrapped, and the answers", () => {
  const model = setMode(selectSession(fleet(), "migrate-db@local"), "detail");
  for (const width of [60, 80]) {
    const lines = plain(approvalBannerView(model, now, width));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    expect(lines[0]).toContain("migrate-db asks to use Bash");
    const shown = lines.slice(1, -1).map((line) => line.slice(2)).join("");
    expect(shown.replace(/\s/g, "")).toContain(LONG_COMMAND.replace(/\s/g, ""));
    expect(lines.at(-1)).toContain("y allow");
    expect(lines.at(-1)).toContain("N always deny");
  }
});

test("the session's view shows its paths, pending request and timestamped log", () => {
  let model = setMode(selectSession(fleet(), "migrate-db@local"), "detail");
  model = applyEventLog(model, "migrate-db@local", [{ session: "migrate-db", seq: 3, at: "2026-11-21T11:52:00.000Z", kind: "link", data: { event: "linked", transport: "bridge" } }]);
  const text = plain(dashboardView(model, now, 100, 40)).join("\n");
  for (const expected of ["csm-migrate-db", "/home/ada/.local/share/csm/worktrees/api/migrate-db", "csm/migrate-db-20261121-100000", "/home/ada/src/api", "3c1e0c0e-7d1b-4b7a-9a51-2b0f5c7d9e10", "pending (1)", "linked (bridge)"]) {
    expect(text).toContain(expected);
  }
  expect(text).toMatch(/\d\d:\d\d:\d\d link {5}linked \(bridge\)/);
});

test("the kill dialog says what it removes; the branch only when asked", () => {
  const model = openKill(selectSession(fleet(), "docs@local"));
  expect(killTargets(model.kill!)).toEqual(["tmux session csm-docs", "worktree /home/ada/.local/share/csm/worktrees/api/docs"]);
  const withBranch = { ...model.kill!, deleteBranch: true };
  expect(killTargets(withBranch).at(-1)).toContain("branch csm/docs-20261121-100000");
  const screen = plain(dashboardView(formFailed(model, "refusing to kill docs: it has work that would be lost", { uncommitted: ["src/a.ts"], unpushed: [] }), now, 80, 24)).join("\n");
  expect(screen).toContain("[ ] force");
  expect(screen).toContain("refusing to kill docs");
  expect(screen).toContain("src/a.ts");
});

test("the create form starts with the configured repo and shows errors inside the form", () => {
  const model = formFailed(openCreate(fleet(), { repo: "/home/ada/src/api" }), "base \"nope\" names no commit in /home/ada/src/api");
  const screen = plain(dashboardView(model, now, 80, 24)).join("\n");
  expect(screen).toContain("/home/ada/src/api");
  expect(screen).toContain('✗ base "nope" names no commit');
  expect(model.mode).toBe("create");
});

test("a session whose claude runs tools without asking csm is marked ⊘ in the list and explained in its detail", () => {
  const model = selectSession(applySessions(fleet(), [...fleet().sessions, session("reckless", { status: "working", permissionMode: "acceptEdits", guarded: false })]), "reckless@local");
  const lines = plain(sessionListView(model, now, 80));
  expect(lines.find((l) => l.includes("reckless"))).toMatch(/● working⊘/);
  expect(lines.filter((l) => l.includes("⊘"))).toHaveLength(1);
  expectFits(sessionListView(model, now, 80), 80);
  expect(plain(dashboardView(setMode(model, "detail"), now, 120, 40)).join("\n")).toContain("⊘ unguarded: claude runs tools without asking csm (permission mode acceptEdits)");
});

test("a request banner taller than the screen says what is cut and that y is off; one that fits says nothing of the kind", () => {
  const model = setMode(selectSession(fleet(), "migrate-db@local"), "detail");
  // The smallest screen that shows it whole, and one row less.
  let whole = 1;
  while (!requestShownWhole(model, 60, whole)) whole += 1;
  const height = whole - 1;
  expect(whole).toBeGreaterThan(approvalBannerView(model, now, 60).length);
  const small = plain(dashboardView(model, now, 60, height));
  expect(small).toHaveLength(height);
  expect(requestShownWhole(model, 60, height)).toBe(false);
  const cut = small.find((line) => line.includes("of this request not shown"));
  expect(cut).toMatch(/… \d+ more lines? of this request not shown/);
  expect(small.some((line) => line.includes("y allow"))).toBe(true);
  expect(requestShownWhole(model, 80, 40)).toBe(true);
  expect(plain(dashboardView(model, now, 80, 40)).some((line) => line.includes("not shown"))).toBe(false);
});

test("claude's blocked path is shown as the path its check is about, not called outside the worktree", () => {
  const model = setMode(selectSession(fleet(), "migrate-db@local"), "detail");
  const withPath = { ...model, pending: model.pending.map((p) => ({ ...p, blockedPath: "/work/wt/made.txt" })) };
  const lines = plain(approvalBannerView(withPath, now, 80));
  expect(lines.some((line) => line.includes("path: /work/wt/made.txt"))).toBe(true);
  expect(lines.some((line) => line.includes("outside the worktree"))).toBe(false);
});
