import { expect, test } from "bun:test";
import type { LiveSessionView } from "../../src/core/live/live-view.ts";
import type { PublishedEvent } from "../../src/hub/live-sessions.ts";
import {
  applyEvent,
  applyEventLog,
  applyPending,
  applySessions,
  back,
  EVENT_RING,
  initialModel,
  jumpToOldestPending,
  select,
  selectSession,
  setFilter,
  typeText,
  openFilter,
  visibleSessions,
  type PendingEntry,
  type TuiModel,
} from "../../src/tui/model.ts";
import { liveSession } from "../helpers/live-session.ts";

const session = liveSession;

const request = (sessionName: string, requestId: string, receivedAt: string): PendingEntry => ({
  session: sessionName,
  requestId,
  toolName: "Bash",
  input: { command: "bun test" },
  toolUseId: `toolu_${requestId}`,
  description: null,
  suggestions: [],
  blockedPath: null,
  receivedAt,
});

const names = (model: TuiModel) => visibleSessions(model).map((s) => s.name);
const at = "2026-11-21T11:00:00.000Z";
const event = (sessionName: string, seq: number | null, kind: string, data: unknown) => ({ session: sessionName, seq, at, kind, data }) as PublishedEvent;

const fleet = [session("zeta"), session("alpha"), session("fav", { favourite: true }), session("wait", { status: "waiting", pendingApprovals: 1 }), session("beta")];

test("waiting sessions sort first, then favourites, then the rest by name", () => {
  const model = applySessions(initialModel(), fleet);
  expect(names(model)).toEqual(["wait", "fav", "alpha", "beta", "zeta"]);
});

test("the first session is selected; the selection follows its session when the list re-sorts", () => {
  let model = applySessions(initialModel(), fleet);
  expect(model.selected).toBe("wait@local");
  model = select(model, 3);
  expect(model.selected).toBe("beta@local");
  // beta starts waiting: it moves to the top, the selection goes with it.
  model = applySessions(model, fleet.map((s) => (s.name === "beta" ? { ...s, status: "waiting" as const } : s)));
  expect(names(model)[0]).toBe("beta");
  expect(model.selected).toBe("beta@local");
});

test("moving stops at both ends", () => {
  let model = applySessions(initialModel(), fleet);
  model = select(model, -1);
  expect(model.selected).toBe("wait@local");
  model = select(model, 99);
  expect(model.selected).toBe("zeta@local");
});

test("a session that goes away hands the selection to the one at its place", () => {
  let model = selectSession(applySessions(initialModel(), fleet), "alpha@local");
  model = applySessions(model, fleet.filter((s) => s.name !== "alpha"));
  expect(model.selected).toBe("beta@local");
});

test("a session killed while open returns to the list with a notice", () => {
  let model: TuiModel = { ...selectSession(applySessions(initialModel(), fleet), "alpha@local"), mode: "detail" };
  model = applySessions(model, fleet.filter((s) => s.name !== "alpha"));
  expect(model.mode).toBe("list");
  expect(model.notice?.text).toContain("alpha");
});

test("the filter matches every word in name, host, status, branch, repo or model, and keeps a visible selection", () => {
  let model = applySessions(initialModel(), [...fleet, session("remote-1", { host: "devbox" })]);
  model = setFilter(model, "DEVBOX");
  expect(names(model)).toEqual(["remote-1"]);
  expect(model.selected).toBe("remote-1@devbox");
  expect(names(setFilter(model, "idle opus"))).toEqual(["fav", "alpha", "beta", "remote-1", "zeta"]);
  expect(names(setFilter(model, "nothing-like-this"))).toEqual([]);
});

test("typing in filter mode filters as you type; Escape clears it", () => {
  let model = openFilter(applySessions(initialModel(), fleet));
  model = typeText(typeText(model, "z"), "e");
  expect(model.filter).toBe("ze");
  expect(names(model)).toEqual(["zeta"]);
  model = back(model);
  expect(model.mode).toBe("list");
  expect(model.filter).toBe("");
});

test("Space jumps to the session whose request is oldest, even past a filter hiding it", () => {
  let model = applySessions(initialModel(), fleet);
  model = applyPending(model, [request("wait", "r2", "2026-11-21T10:05:00.000Z"), request("beta", "r1", "2026-11-21T10:01:00.000Z")]);
  model = setFilter(model, "alpha");
  model = jumpToOldestPending(model);
  expect(model).toMatchObject({ selected: "beta@local", mode: "detail", filter: "" });
});

test("jumping with nothing pending changes nothing", () => {
  const model = applySessions(initialModel(), fleet);
  expect(jumpToOldestPending(model)).toBe(model);
});

test("the event ring keeps the last EVENT_RING stored events, and skips ones it has", () => {
  let model = applySessions(initialModel(), fleet);
  for (let seq = 1; seq <= EVENT_RING + 50; seq++) model = applyEvent(model, event("alpha", seq, "sent", { type: "user", message: { role: "user", content: `m${seq}` } }));
  const ring = model.events["alpha@local"]!;
  expect(ring).toHaveLength(EVENT_RING);
  expect(ring[0]!.seq).toBe(51);
  expect(ring.at(-1)!.seq).toBe(EVENT_RING + 50);
  expect(applyEvent(model, event("alpha", 10, "sent", {}))).toBe(model);
});

test("a fetched log tail merges with streamed events by seq", () => {
  let model = applySessions(initialModel(), fleet);
  model = applyEvent(model, event("alpha", 12, "link", { event: "linked", transport: "bridge" }));
  model = applyEventLog(model, "alpha@local", [10, 11, 12].map((seq) => event("alpha", seq, "sent", {})));
  expect(model.events["alpha@local"]!.map((e) => e.seq)).toEqual([10, 11, 12]);
});

const update = (view: LiveSessionView, pending: PendingEntry[] = [], streamingText = "", host?: string): PublishedEvent => ({
  session: view.name,
  ...(host ? { host } : {}),
  seq: null,
  at,
  kind: "view",
  data: { view, pending, streamingText },
});

test("stream deltas add to the streaming text; the hub's next view says what it is now", () => {
  let model = applySessions(initialModel(), fleet);
  const delta = (text: string) => event("alpha", null, "stream", { type: "stream_event", event: { type: "content_block_delta", delta: { type: "text_delta", text } } });
  model = applyEvent(applyEvent(model, delta("Hel")), delta("lo"));
  expect(model.streaming["alpha@local"]).toBe("Hello");
  expect(model.events["alpha@local"] ?? []).toHaveLength(0);
  model = applyEvent(model, update(session("alpha", { lastMessage: "Hello", status: "working" })));
  expect(model.streaming["alpha@local"]).toBe("");
  expect(model.sessions.find((s) => s.name === "alpha")!.lastMessage).toBe("Hello");
});

test("a view replaces the session's row and its pending requests; nothing else folds claude's messages", () => {
  let model = applySessions(initialModel(), fleet);
  // A raw event only goes to the log: the row waits for the hub's view.
  model = applyEvent(model, event("beta", 1, "claude", { type: "control_request", request_id: "req-1", request: { subtype: "can_use_tool", tool_name: "Bash", input: {} } }));
  expect(model.pending).toEqual([]);
  expect(model.sessions.find((s) => s.name === "beta")!.status).toBe("idle");
  expect(model.events["beta@local"]!.map((e) => e.seq)).toEqual([1]);
  const asked = request("beta", "req-1", at);
  model = applyEvent(model, update(session("beta", { status: "waiting", pendingApprovals: 1 }), [asked]));
  expect(model.pending.map((p) => [p.session, p.requestId])).toEqual([["beta", "req-1"]]);
  expect(names(model).slice(0, 2)).toEqual(["beta", "wait"]);
  model = applyEvent(model, update(session("beta", { status: "idle", turns: 3, costUsd: 0.2 })));
  expect(model.pending).toEqual([]);
  expect(model.sessions.find((s) => s.name === "beta")).toMatchObject({ status: "idle", turns: 3, costUsd: 0.2, pendingApprovals: 0 });
});

test("a view of a session the list does not have adds it; a removed session goes, and the selection moves on", () => {
  let model = applySessions(initialModel(), fleet);
  model = applyEvent(model, update(session("new-one")));
  expect(names(model)).toContain("new-one");
  model = selectSession(model, "new-one@local");
  model = applyEvent(model, { session: "new-one", seq: null, at, kind: "removed", data: null });
  expect(names(model)).not.toContain("new-one");
  expect(model.selected).not.toBe("new-one@local");
});

test("the same name on another host is another session: its view leaves the local row alone", () => {
  let model = applySessions(initialModel(), [...fleet, session("alpha", { host: "devbox" })]);
  model = applyEvent(model, update(session("alpha", { host: "devbox", status: "working" }), [], "", "devbox"));
  expect(model.sessions.filter((s) => s.name === "alpha").map((s) => [s.host, s.status])).toEqual([
    ["local", "idle"],
    ["devbox", "working"],
  ]);
});

test("updates never mutate the model they are given", () => {
  const model = applySessions(initialModel(), fleet);
  const frozen = JSON.stringify(model);
  select(model, 1);
  setFilter(model, "a");
  applyEvent(model, event("alpha", 1, "claude", { type: "control_request", request_id: "x", request: { subtype: "can_use_tool", tool_name: "Bash", input: {} } }));
  applyEvent(model, update(session("alpha", { status: "waiting" }), [request("alpha", "x", at)], "text"));
  expect(JSON.stringify(model)).toBe(frozen);
});
