import { expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { slowTextReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSession } from "../helpers/live.ts";

// Several bridges lose their hub at the same moment and each starts one: the state dir's
// lock lets exactly one run, and every bridge relinks to it.

setDefaultTimeout(60_000);

/** Live `csm server --port PORT` processes (one per hub this sandbox started). */
function hubProcesses(port: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return argv.includes("server") && argv.at(-2) === "--port" && argv.at(-1) === port && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
      } catch {
        return false;
      }
    })
    .map(Number);
}

test("three bridges whose hub was killed start one hub between them, and all relink", async () => {
  await using live = await makeLiveSandbox();
  const names = ["one", "two", "three"];
  for (const name of names) {
    live.fake.reply(slowTextReply(`reply of ${name}, streamed slowly to the end`, 200, 5));
    await live.create(name, ["--prompt", `talk, ${name}`]);
  }
  for (const name of names) await live.waitForSession(name, "working", (s) => s.status === "working" || s.status === "idle");
  const logBefore = readFileSync(join(live.sb.paths.stateHome, "csm", "hub.log"), "utf8");

  const oldHub = await live.killHub();
  const rows = await live.sb.waitFor(
    async () => {
      const listed = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as (LiveSession & { stale?: boolean })[];
      return listed.length === 3 && listed.every((s) => !s.stale && s.linked && s.status === "idle" && s.turns === 1) ? listed : undefined;
    },
    { what: "every session live and idle in the new hub", timeoutMs: 20_000, intervalMs: 100 },
  );
  expect(rows.map((s) => s.lastMessage).sort()).toEqual(names.map((name) => `reply of ${name}, streamed slowly to the end`).sort());

  const port = live.sb.env.CSM_PORT!;
  expect(hubProcesses(port)).toEqual([live.hubPid()]);
  expect(live.hubPid()).not.toBe(oldHub);
  // Each start after the kill either listened or found the winner; none listened twice.
  const after = readFileSync(join(live.sb.paths.stateHome, "csm", "hub.log"), "utf8").slice(logBefore.length);
  expect(after.match(/csm hub listening/g) ?? []).toHaveLength(1);
});
