import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSession } from "../helpers/live.ts";

// A tool request waits for a person when the hub is killed (kill -9). Nobody starts a
// hub: the bridge does, and reports the open request after its hello, so the request is
// pending again in the new hub and a person's answer reaches claude once.

setDefaultTimeout(45_000);

test("kill -9 with a request pending: the bridge's new hub has it pending again, and it is answered once", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  live.fake.reply(bashReply(`echo ran >> ${target}`));
  live.fake.reply(textReply("appended"));
  await live.create("asks", ["--prompt", "append a line"]);
  await live.waitForSession("asks", "waiting", (s) => s.status === "waiting" && s.pendingApprovals === 1);

  process.kill(live.hubPid(), "SIGKILL");
  await live.sb.waitFor(
    async () => {
      const [row] = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as (LiveSession & { stale?: boolean })[];
      return row && !row.stale && row.linked && row.status === "waiting" && row.pendingApprovals === 1;
    },
    { what: "csm list to show the request pending in a new hub", timeoutMs: 10_000, intervalMs: 100 },
  );

  expect(await live.sb.csm(["approve", "asks"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("asks", "idle after the answer", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("appended");
  expect(readFileSync(target, "utf8")).toBe("ran\n");
  const decisions = (await live.api<{ kind: string; data: { by?: string; action?: string } }[]>("GET", "/api/sessions/asks/events")).body.filter((e) => e.kind === "decision");
  expect(decisions.map((e) => e.data)).toEqual([expect.objectContaining({ by: "person", action: "allow" })]);
});
