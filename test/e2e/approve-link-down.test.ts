import { expect, setDefaultTimeout, test } from "bun:test";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint, connectPeer, toolRequest } from "../helpers/sdk-peer.ts";

// An answer given while claude is not linked waits for the link, and when the link does
// not come back in time it fails with the request still pending: nothing is recorded as
// decided that claude never heard. The WebSocket client plays an sdk-url claude.

setDefaultTimeout(40_000);

test("approve while the link stays down fails after the wait, the request still pending; once linked it goes through", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.csm(["create", "quiet", "--repo", live.repo, "--transport", "sdk-url"]);
  const { url, secret } = await agentEndpoint(live.sb, "quiet");
  const first = connectPeer(url, secret);
  expect(await first.opened).toBe(true);
  first.send(toolRequest("req-1", "touch x"));
  await live.waitForSession("quiet", "waiting", (s) => s.status === "waiting");
  first.socket.close(1001);
  await first.closed;
  await live.waitForSession("quiet", "unlinked", (s) => !s.linked);

  const refused = await live.sb.csm(["approve", "quiet"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("quiet is not linked to the hub (waited 10 s); the request is still pending");
  expect(JSON.parse((await live.sb.csm(["pending", "--json"])).stdout)).toEqual([expect.objectContaining({ session: "quiet", requestId: "req-1" })]);
  const events = (await live.api<{ kind: string }[]>("GET", "/api/sessions/quiet/events")).body;
  expect(events.filter((e) => e.kind === "decision")).toEqual([]);

  // claude reconnects (it does not resend a pending request; its old id still works).
  const again = connectPeer(url, secret);
  expect(await again.opened).toBe(true);
  expect(await live.sb.csm(["approve", "quiet", "req-1"])).toMatchObject({ code: 0 });
  await live.sb.waitFor(() => again.frames.length > 0, { what: "the answer to claude" });
  expect(JSON.parse(again.frames[0]!)).toMatchObject({ type: "control_response", response: { request_id: "req-1", response: { behavior: "allow" } } });
  expect(JSON.parse((await live.sb.csm(["pending", "--json"])).stdout)).toEqual([]);
  again.socket.close(1001);
});
