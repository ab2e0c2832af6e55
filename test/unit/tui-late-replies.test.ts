import { expect, test } from "bun:test";
import type { HubClient } from "../../src/hub-client/client.ts";
import { DashboardApp } from "../../src/tui/dashboard-app.ts";
import { applySessions, setConnection } from "../../src/tui/model.ts";
import { liveSession } from "../helpers/live-session.ts";

// Replies from the hub land on the model as it is when they arrive: keys pressed while a
// reply was on its way are never undone by it.

test("d pressed while the session view still reads its log stays in the Diff tab when the log arrives", async () => {
  let answerLog: ((events: unknown) => void) | null = null;
  const hub = {
    request(_method: string, path: string) {
      if (path.includes("/events")) return new Promise((resolve) => (answerLog = resolve));
      if (path.includes("/diff")) return new Promise(() => undefined);
      return Promise.resolve({ ...liveSession("api"), pending: [], streamingText: "" });
    },
  } as unknown as HubClient;
  const app = new DashboardApp(
    { hub, draw: () => undefined, attach: async () => null, quit: () => undefined, log: () => undefined, createDefaults: {}, resolvePath: (path) => path },
    ["local"],
  );
  app.model = applySessions(setConnection(app.model, { state: "connected" }), [liveSession("api")]);

  app.onKey("enter", undefined);
  expect(app.model.mode).toBe("detail");
  // The session itself is in; its log is on its way.
  while (!answerLog) await Bun.sleep(1);
  app.onKey("d", "d");
  expect(app.model.mode).toBe("diff");
  (answerLog as (events: unknown) => void)([]);
  await Bun.sleep(0);
  expect(app.model.mode).toBe("diff");
  expect(app.model.diff?.key).toBe("api@local");
  // The reply was applied all the same.
  expect(app.model.detail?.name).toBe("api");
});
