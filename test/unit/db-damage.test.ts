import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDatabase } from "../../src/store/db-damage.ts";
import { openDatabase } from "../../src/store/db.ts";
import { processStartTime } from "../../src/shared/process-alive.ts";

// A store SQLite cannot read is moved aside (never deleted) and a fresh one opened, unless
// a running hub holds the state dir.

const root = await mkdtemp(join(tmpdir(), "csm-db-damage-"));
afterAll(() => rm(root, { recursive: true, force: true }));

async function stateDir(): Promise<string> {
  const dir = join(root, crypto.randomUUID());
  await mkdir(dir);
  return dir;
}

test("garbage is moved aside, said in one line, and a fresh store opens", async () => {
  const dir = await stateDir();
  const path = join(dir, "csm.sqlite");
  writeFileSync(path, "garbage ".repeat(1000));
  const said: string[] = [];
  const db = openDatabase(path, (line) => said.push(line));
  expect(db.query("SELECT count(*) AS n FROM sessions").get()).toEqual({ n: 0 });
  db.close();
  const moved = readdirSync(dir).filter((name) => name.startsWith("csm.sqlite.corrupt-"));
  expect(moved).toEqual([expect.stringMatching(/^csm\.sqlite\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/)]);
  expect(said).toEqual([expect.stringContaining("(file is not a database): moved it to")]);
  expect(said[0]).not.toContain("\n");
});

test("a store being created (empty for a moment) is not damage; one left empty is", async () => {
  const dir = await stateDir();
  const path = join(dir, "csm.sqlite");
  writeFileSync(path, "");
  const said: string[] = [];
  openDatabase(path, (line) => said.push(line)).close();
  expect(said).toEqual([]);

  const other = join(await stateDir(), "csm.sqlite");
  writeFileSync(other, "");
  const old = new Date(Date.now() - 60_000);
  utimesSync(other, old, old);
  expect(checkDatabase(other)).toMatchObject({ ok: false });
  openDatabase(other, (line) => said.push(line)).close();
  expect(said).toEqual([expect.stringContaining("(the file is empty): moved it to")]);
});

test("while a running hub holds the state dir, a damaged store is left alone and the error says what to do", async () => {
  const dir = await stateDir();
  const path = join(dir, "csm.sqlite");
  writeFileSync(path, "garbage ".repeat(1000));
  writeFileSync(join(dir, "hub.lock"), `${process.ppid} ${processStartTime(process.ppid)}\n`);
  expect(() => openDatabase(path, () => {})).toThrow(/csm server stop/);
  expect(existsSync(path)).toBe(true);
  expect(readdirSync(dir).some((name) => name.includes("corrupt"))).toBe(false);
});
