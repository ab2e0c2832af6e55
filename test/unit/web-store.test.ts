import { expect, test } from "bun:test";
import type { HubEvent } from "../../src/core/live/hub-event.ts";
import { Store } from "../../src/web/app/store.ts";
import { liveSession } from "../helpers/live-session.ts";

// The web dashboard's store: the hub's list, fetched while the event stream goes on, never
// undoes what the stream said meanwhile; a log opened keeps what the stream brings before its tail.

const at = "2026-11-30T00:00:00.000Z";
const view = (name: string, extra = {}): HubEvent => ({ session: name, host: "local", seq: null, at, kind: "view", data: { view: liveSession(name, extra), pending: [], streamingText: "" } }) as HubEvent;
const removed = (name: string): HubEvent => ({ session: name, host: "local", seq: null, at, kind: "removed", data: null }) as HubEvent;
const names = (store: Store) => store.state.sessions.map((entry) => `${entry.view.name}:${entry.view.status}`);

test("a list fetched while the stream spoke keeps the stream's word: a view, a removal, an arrival", () => {
  const store = new Store();
  store.applyList([liveSession("api"), liveSession("web")], []);
  const touched = store.beginList();
  store.apply(view("api", { status: "waiting" }));
  store.apply(removed("web"));
  store.apply(view("new"));
  store.applyList([liveSession("api"), liveSession("web")], [], touched);
  store.endList(touched);
  expect(names(store)).toEqual(["api:waiting", "new:idle"]);
  // The next list, asked after, is believed whole.
  store.applyList([liveSession("api"), liveSession("other")], [], store.beginList());
  expect(names(store)).toEqual(["api:idle", "other:idle"]);
});

test("two lists at once each keep what the stream said since each was asked", () => {
  const store = new Store();
  store.applyList([liveSession("api")], []);
  const first = store.beginList();
  store.apply(view("api", { status: "working" }));
  const second = store.beginList();
  store.applyList([liveSession("api")], [], first);
  store.endList(first);
  expect(names(store)).toEqual(["api:working"]);
  store.applyList([liveSession("api", { status: "working" })], [], second);
  store.endList(second);
  expect(names(store)).toEqual(["api:working"]);
});

test("a log opened keeps the events the stream brings before its tail arrives", () => {
  const store = new Store();
  store.applyList([liveSession("api")], []);
  store.openLog("local/api");
  const event = (seq: number): HubEvent => ({ session: "api", host: "local", seq, at, kind: "log", data: { event: "x" } }) as unknown as HubEvent;
  store.apply(event(11));
  store.appendLog("local/api", [event(10), event(11)], true);
  store.apply(event(12));
  expect(store.state.logs["local/api"]!.map((e) => e.seq)).toEqual([10, 11, 12]);
});
