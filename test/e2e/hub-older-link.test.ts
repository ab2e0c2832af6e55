import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, listSessions } from "../helpers/sessions.ts";

// After an upgrade the old hub may still run, speaking the older agent link: the panes the
// new csm starts could never link to it. A csm command that needs the hub replaces it,
// and the sessions it served relink to the new one.

setDefaultTimeout(60_000);

test("a hub that speaks an older agent link is replaced by the next command that needs the hub, and its sessions relink", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo();
  await createSession(sb, "before", repo);
  const hubJson = join(sb.paths.stateHome, "csm", "hub.json");
  const old = JSON.parse(readFileSync(hubJson, "utf8")) as { pid: number; agentLink?: number };
  expect(old.agentLink).toBe(2);
  // What a hub from before the upgrade wrote: no agentLink (version 1).
  delete old.agentLink;
  writeFileSync(hubJson, JSON.stringify(old));

  await createSession(sb, "after", repo);
  const now = JSON.parse(readFileSync(hubJson, "utf8")) as { pid: number; agentLink?: number };
  expect(now.pid).not.toBe(old.pid);
  expect(now.agentLink).toBe(2);
  await sb.waitFor(
    async () => {
      const listed = (await listSessions(sb)) as (Awaited<ReturnType<typeof listSessions>>[number] & { linked?: boolean })[];
      return listed.length === 2 && listed.every((s) => s.linked === true);
    },
    { what: "both sessions linked to the new hub", timeoutMs: 20_000, intervalMs: 200 },
  );
});
