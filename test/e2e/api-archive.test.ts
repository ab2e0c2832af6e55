import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// /api/archive over a real session that `csm kill` ended: the list as `csm archive --json`
// gives it, the postmortem, the pane log's tail; no token is a 401, an unknown id a 404.

setDefaultTimeout(60_000);

test("an ended session through the API: listed, its postmortem, its pane log; 401 without the token, 404 for an unknown id", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(textReply("archived reply"));
  await live.create("ender", ["--prompt", "say something"]);
  await live.waitForSession("ender", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(await live.sb.csm(["kill", "ender"])).toMatchObject({ code: 0 });

  const list = await live.api<{ id: number; name: string; host: string; endReason: string; lastMessage: string; session: string }[]>("GET", "/api/archive");
  expect(list.status).toBe(200);
  expect(list.body).toEqual(JSON.parse((await live.sb.csm(["archive", "--json"])).stdout));
  expect(list.body).toEqual([expect.objectContaining({ name: "ender", host: "local", endReason: "killed by the user (csm kill)", lastMessage: "archived reply", session: "removed" })]);
  const id = list.body[0]!.id;

  const show = await live.api<{ entry: { id: number; endKind: string }; transcript: { records: { who: string; text: string }[] } | null; paneTail: string | null }>("GET", `/api/archive/${id}`);
  expect(show.status).toBe(200);
  expect(show.body.entry).toMatchObject({ id, endKind: "killed" });
  expect(show.body.transcript?.records).toContainEqual(expect.objectContaining({ who: "claude", text: "archived reply" }));
  expect(show.body.paneTail).toContain("say something");
  // By name too, as `csm archive show NAME`.
  expect((await live.api<{ entry: { id: number } }>("GET", "/api/archive/ender")).body.entry.id).toBe(id);

  const log = await live.api<{ id: number; name: string; text: string }>("GET", `/api/archive/${id}/log?tailKb=8`);
  expect(log.status).toBe(200);
  expect(log.body).toMatchObject({ id, name: "ender" });
  expect(log.body.text).toContain("archived reply");
  expect((await live.api<{ error: { name: string } }>("GET", `/api/archive/${id}/log?tailKb=0`)).status).toBe(400);
  expect((await live.api<{ error: { name: string } }>("GET", `/api/archive/${id}/log?tailKb=4096`)).status).toBe(400);

  for (const path of ["/api/archive/999999", "/api/archive/no-such-session", "/api/archive/999999/log"]) {
    const missing = await live.api<{ error: { name: string } }>("GET", path);
    expect([path, missing.status, missing.body.error.name]).toEqual([path, 404, "NotFound"]);
  }
  expect((await live.api<{ error: { name: string } }>("GET", "/api/archive?host=nowhere")).status).toBe(400);

  const port = (JSON.parse(readFileSync(join(live.sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { port: number }).port;
  for (const path of ["/api/archive", `/api/archive/${id}`, `/api/archive/${id}/log`]) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    expect([path, response.status]).toEqual([path, 401]);
    expect(await response.text()).not.toContain("archived reply");
  }
});
