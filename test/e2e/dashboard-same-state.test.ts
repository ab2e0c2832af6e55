import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LiveSessionDetail, LiveSessionView } from "../../src/core/live/live-view.ts";
import { HubClient } from "../../src/hub-client/client.ts";
import { followHub } from "../../src/hub-client/event-feed.ts";
import type { HubInfo } from "../../src/hub-client/hub-files.ts";
import { applyEvent, applySessions, initialModel, type PendingEntry, type TuiModel } from "../../src/tui/model.ts";
import { bashReply, slowTextReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";

// One fold: the hub's. A dashboard model moved only by the hub's event stream (the real
// stream of a real claude's session) shows the same state as the API, at every step.

setDefaultTimeout(45_000);

function follow(live: LiveSandbox) {
  const info = JSON.parse(readFileSync(join(live.sb.paths.stateHome, "csm", "hub.json"), "utf8")) as HubInfo;
  const token = readFileSync(join(live.sb.paths.configHome, "csm", "token"), "utf8").trim();
  const state = { model: initialModel(), connected: false };
  const feed = followHub(new HubClient(info, token), (event) => (state.model = applyEvent(state.model, event)), (connection) => (state.connected = connection.state === "connected"), () => {});
  return { state, stop: () => feed.stop() };
}

/** The API's view of a session and its pending requests, against the dashboard's. */
async function expectSameState(live: LiveSandbox, model: () => TuiModel, name: string, what: string) {
  await live.sb.waitFor(
    async () => {
      const api = (await live.api<LiveSessionDetail>("GET", `/api/sessions/${name}`)).body;
      const { pending, streamingText: _streaming, ...view } = api;
      const row = model().sessions.find((s) => s.name === name);
      const rowPending = model().pending.filter((p) => p.session === name).map(({ session: _s, host: _h, ...p }: PendingEntry) => p);
      return JSON.stringify(row) === JSON.stringify(view) && JSON.stringify(rowPending) === JSON.stringify(pending) ? true : undefined;
    },
    { what: `${name}: the dashboard shows what the API says (${what})`, timeoutMs: 15_000 },
  );
}

test("a dashboard moved only by the hub's views shows the API's state through a whole session", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "made");
  live.fake.reply(slowTextReply("thinking about it", 30, 3));
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("made it"));
  await live.sb.csm(["server", "start"]);
  const dashboard = follow(live);
  try {
    await live.sb.waitFor(() => dashboard.state.connected || undefined, { what: "the event stream" });
    // Only the initial list is fetched; everything after comes from the stream.
    dashboard.state.model = applySessions(dashboard.state.model, (await live.api<LiveSessionView[]>("GET", "/api/sessions")).body);
    await live.create("same", ["--prompt", "say something"]);
    await live.waitForSession("same", "idle", (s) => s.status === "idle" && s.turns === 1);
    await expectSameState(live, () => dashboard.state.model, "same", "after the first turn");

    await live.sb.csm(["send", "same", "now make the file"]);
    await live.waitForSession("same", "waiting", (s) => s.status === "waiting");
    await expectSameState(live, () => dashboard.state.model, "same", "a request pending");

    expect(await live.sb.csm(["approve", "same"])).toMatchObject({ code: 0 });
    await live.waitForSession("same", "idle again", (s) => s.status === "idle" && s.turns === 2);
    await expectSameState(live, () => dashboard.state.model, "same", "after the approved turn");
    const row = dashboard.state.model.sessions.find((s) => s.name === "same")!;
    expect(row).toMatchObject({ status: "idle", turns: 2, lastMessage: "made it", pendingApprovals: 0 });
    expect(row.costUsd).toBeGreaterThan(0);

    await live.sb.csm(["kill", "same", "--force"]);
    await live.sb.waitFor(() => !dashboard.state.model.sessions.some((s) => s.name === "same") || undefined, { what: "the killed session to leave the dashboard" });
  } finally {
    dashboard.stop();
  }
});
