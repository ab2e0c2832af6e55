import { expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, listSessions } from "../helpers/sessions.ts";

// A state database SQLite cannot read (garbage, or a file left empty) is moved aside with
// one line saying so, the hub starts on a fresh one, tmux still shows what runs, and
// `csm doctor` tells what happened.

setDefaultTimeout(30_000);

async function damagedWhileStopped(sb: Sandbox, damage: (database: string) => void) {
  const repo = await sb.makeRepo("app");
  await createSession(sb, "survivor", repo);
  expect(await sb.csm(["server", "stop"])).toMatchObject({ code: 0 });
  damage(join(sb.paths.stateHome, "csm", "csm.sqlite"));
}

async function expectRecovered(sb: Sandbox, reason: string) {
  const stateDir = join(sb.paths.stateHome, "csm");
  expect(await sb.csm(["server", "start"])).toMatchObject({ code: 0 });
  const moved = readdirSync(stateDir).filter((name) => /^csm\.sqlite\.corrupt-[\dT-]+Z$/.test(name));
  expect(moved).toHaveLength(1);
  const said = readFileSync(join(stateDir, "hub.log"), "utf8").split("\n").filter((line) => line.includes("moved it to"));
  expect(said).toEqual([expect.stringContaining(`(${reason}): moved it to ${join(stateDir, moved[0]!)} and started a fresh one`)]);

  // The fresh store knows nothing, but tmux still shows the session.
  const [row] = await listSessions(sb);
  expect(row).toMatchObject({ name: "survivor", status: "unknown", statusReason: "not in csm's store" });

  const doctor = (await sb.csm(["doctor"])).stdout;
  expect(doctor).toMatch(new RegExp(`WARN\\s+store\\s+a damaged state database was moved aside to ${join(stateDir, moved[0]!).replaceAll(".", "\\.")}`));
}

test("a database full of garbage is moved aside and the hub starts on a fresh one", async () => {
  await using sb = await makeSandbox();
  await damagedWhileStopped(sb, (database) => writeFileSync(database, "this is not a database, just some text ".repeat(200)));
  expect((await sb.csm(["doctor"])).stdout).toMatch(/FAIL\s+store\s+.*file is not a database/);
  await expectRecovered(sb, "file is not a database");
});

test("a database left empty (zero bytes) is moved aside and the hub starts on a fresh one", async () => {
  await using sb = await makeSandbox();
  await damagedWhileStopped(sb, (database) => {
    writeFileSync(database, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(database, old, old);
  });
  await expectRecovered(sb, "the file is empty");
});
