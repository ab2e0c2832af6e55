import { expect, test } from "bun:test";
import type { LiveSessionView } from "../../src/core/live/live-view.ts";
import type { HubClient } from "../../src/hub-client/client.ts";
import { DashboardApp } from "../../src/tui/dashboard-app.ts";
import { applySessions, setConnection, type PendingEntry } from "../../src/tui/model.ts";
import { liveSession } from "../helpers/live-session.ts";

// Replies from the hub land on the model as it is when they arrive: keys pressed while a
// reply was on its way, and events the stream brought meanwhile, are never undone by it.

/** A hub whose replies the test gives, per request, in the order it chooses. */
function heldHub() {
  const asked: { method: string; path: string; answer(value: unknown): void; fail(error: Error): void }[] = [];
  const hub = {
    request(method: string, path: string) {
      return new Promise((answer, fail) => asked.push({ method, path, answer, fail }));
    },
  } as unknown as HubClient;
  /** The first request whose path ends with `tail` (and method, if given), once it is asked. */
  const next = async (tail: string, method?: string) => {
    for (;;) {
      const at = asked.findIndex((a) => a.path.split("?")[0]!.endsWith(tail) && (method === undefined || a.method === method));
      if (at >= 0) return asked.splice(at, 1)[0]!;
      await Bun.sleep(1);
    }
  };
  return { hub, next };
}

function dashboard(hub: HubClient, sessions: LiveSessionView[]) {
  const app = new DashboardApp(
    { hub, draw: () => undefined, attach: async () => null, quit: () => undefined, log: () => undefined, createDefaults: {}, resolvePath: (path) => path },
    ["local"],
  );
  app.model = applySessions(setConnection(app.model, { state: "connected" }), sessions);
  return app;
}

const settle = () => Bun.sleep(5);

test("d pressed while the session view still reads its log stays in the Diff tab when the log arrives", async () => {
  const { hub, next } = heldHub();
  const app = dashboard(hub, [liveSession("api")]);
  app.onKey("enter", undefined);
  expect(app.model.mode).toBe("detail");
  (await next("/local/api")).answer({ ...liveSession("api"), pending: [], streamingText: "" });
  // The session itself is in; its log is on its way.
  const log = await next("/events");
  app.onKey("d", "d");
  expect(app.model.mode).toBe("diff");
  log.answer([]);
  await settle();
  expect(app.model.mode).toBe("diff");
  expect(app.model.diff?.key).toBe("api@local");
  // The reply was applied all the same.
  expect(app.model.detail?.name).toBe("api");
});

test("a merge that ends after the person moved to another session offers no kill, least of all of that session", async () => {
  const { hub, next } = heldHub();
  const app = dashboard(hub, [liveSession("api"), liveSession("web")]);
  app.onKey("enter", undefined);
  app.onKey("S-m", "M");
  expect(app.model.mode).toBe("merge");
  app.onKey("enter", undefined);
  const merge = await next("/merge");
  app.onKey("escape", undefined);
  app.onKey("escape", undefined);
  app.onKey("down", undefined);
  expect(app.model.selected).toBe("web@local");
  merge.answer({ commits: ["abc1234 work"], branch: "csm/api-x", target: "main" });
  await settle();
  expect(app.model.mode).not.toBe("kill");
  expect(app.model.kill).toBeNull();
  expect(app.model.notice?.text).toContain("merged 1 commit of csm/api-x into main");
});

test("a form that finishes after the person moved on closes nothing else", async () => {
  const { hub, next } = heldHub();
  const app = dashboard(hub, [liveSession("api")]);
  app.onKey("enter", undefined);
  app.onKey("m", "m");
  expect(app.model.mode).toBe("message");
  for (const ch of "hi") app.onKey(ch, ch);
  app.onKey("enter", undefined);
  const sent = await next("/message");
  app.onKey("escape", undefined);
  app.onKey("d", "d");
  expect(app.model.mode).toBe("diff");
  sent.answer({ delivered: "link" });
  await settle();
  expect(app.model.mode).toBe("diff");
  expect(app.model.notice?.text).toBe("sent to api");
});

test("r on a hub that fails says why, and the saying stays", async () => {
  const { hub, next } = heldHub();
  const app = dashboard(hub, [liveSession("api")]);
  app.onKey("r", "r");
  expect(app.model.notice?.text).toBe("refreshing…");
  (await next("/api/sessions")).fail(new Error("the hub is gone"));
  (await next("/api/pending")).fail(new Error("the hub is gone"));
  await settle();
  expect(app.model.notice).toMatchObject({ kind: "error" });
  expect(app.model.notice?.text).toContain("the hub is gone");
});

test("a refresh whose list left before the stream's news keeps the news: a request raised, a session removed", async () => {
  const { hub, next } = heldHub();
  const app = dashboard(hub, [liveSession("api"), liveSession("web")]);
  const refreshing = app.refresh();
  const list = await next("/api/sessions");
  const pending = await next("/api/pending");
  const request: PendingEntry = {
    ...{ requestId: "r1", toolName: "Bash", input: { command: "ls" }, toolUseId: "toolu_r1", description: null, suggestions: [], blockedPath: null },
    ...{ receivedAt: "2026-11-30T00:00:00.000Z", session: "api", host: "local" },
  };
  const feed = app as unknown as { onEvent(event: unknown): void };
  feed.onEvent({ session: "api", host: "local", seq: 7, at: request.receivedAt, kind: "view", data: { view: liveSession("api", { status: "waiting", pendingApprovals: 1 }), pending: [request], streamingText: "" } });
  feed.onEvent({ session: "web", host: "local", seq: 8, at: request.receivedAt, kind: "removed", data: {} });
  // The list and pending as the hub had them before either event.
  list.answer([liveSession("api"), liveSession("web")]);
  pending.answer([]);
  await refreshing;
  expect(app.model.sessions.map((s) => [s.name, s.status])).toEqual([["api", "waiting"]]);
  expect(app.model.pending.map((p) => p.requestId)).toEqual(["r1"]);
});
