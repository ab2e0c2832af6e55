import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownPidDomain, processStartOf } from "../../src/adapters/claude-files.ts";
import { findHolders } from "../../src/core/conversations/conversation-holders.ts";
import type { SessionRecord } from "../../src/store/sessions.ts";

// Who holds a conversation, from claude's `sessions/<pid>.json` files. A pid is checked only
// where it means something: a claude in another PID namespace (claude's `pidDomain`, e.g. a
// container sharing the config dir) holds its conversation whatever the pid names here.

let config: string;
const HERE = "linux:this-machine:pid:[4026531836]";
const ELSEWHERE = "linux:this-machine:pid:[4026532999]";
const DEAD_PID = 999_999_990;

beforeEach(() => {
  config = mkdtempSync(join(tmpdir(), "csm-holders-"));
  mkdirSync(join(config, "sessions"));
});
afterEach(() => rmSync(config, { recursive: true, force: true }));

const write = (pid: number, fields: Record<string, unknown>) => writeFileSync(join(config, "sessions", `${pid}.json`), JSON.stringify({ pid, ...fields }));
const holders = (sessions: SessionRecord[] = []) => findHolders(config, sessions, processStartOf, HERE);

test("a claude in another PID namespace holds its conversation, though its pid names nothing here", () => {
  write(DEAD_PID, { sessionId: "contained", procStart: "1", pidDomain: ELSEWHERE });
  expect(holders().get("contained")).toEqual({ state: "live", session: null, pid: DEAD_PID, pidElsewhere: true });
});

test("a pid of another namespace is not checked here even when it names a live process", () => {
  // This very process, with its real start time: proof here, but not of that claude.
  write(process.pid, { sessionId: "elsewhere", procStart: processStartOf(process.pid), pidDomain: ELSEWHERE });
  expect(holders().get("elsewhere")).toMatchObject({ state: "live", pidElsewhere: true });
});

test("in this namespace, or from a claude that wrote no pidDomain, the pid is checked", () => {
  write(DEAD_PID, { sessionId: "gone-here", procStart: "1", pidDomain: HERE });
  write(DEAD_PID + 1, { sessionId: "gone-old-claude", procStart: "1" });
  write(process.pid, { sessionId: "running", procStart: processStartOf(process.pid), pidDomain: HERE });
  // A pid that runs, but started at another time: reused by another process since.
  write(process.ppid, { sessionId: "pid-reused", procStart: "1", pidDomain: HERE });
  const found = holders();
  expect(found.has("pid-reused")).toBe(false);
  expect(found.has("gone-here")).toBe(false);
  expect(found.has("gone-old-claude")).toBe(false);
  expect(found.get("running")).toEqual({ state: "live", session: null, pid: process.pid, pidElsewhere: false });
});

test("a claude proven here wins over one elsewhere for the same conversation, and a csm session over both", () => {
  write(DEAD_PID, { sessionId: "both", procStart: "1", pidDomain: ELSEWHERE });
  write(process.pid, { sessionId: "both", procStart: processStartOf(process.pid), pidDomain: HERE });
  expect(holders().get("both")).toMatchObject({ pid: process.pid, pidElsewhere: false });
  const owned = holders([{ name: "api", host: "local", claudeSessionId: "both" } as SessionRecord]);
  expect(owned.get("both")).toEqual({ state: "csm", session: "api", pid: null, pidElsewhere: false });
});

test("this namespace is spelt as claude spells it", () => {
  const domain = ownPidDomain();
  if (process.platform === "linux") expect(domain).toMatch(/^linux:[0-9a-f]*:(pid:\[\d+\])?$/);
  else expect(domain).toBe("linux");
});
