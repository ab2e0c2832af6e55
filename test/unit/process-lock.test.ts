import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive, processRuns, processStartTime } from "../../src/shared/process-alive.ts";
import { lockOwner, tryLock } from "../../src/shared/process-lock.ts";
import { waitFor } from "../helpers/wait-for.ts";

// The lock a process holds for its life (the hub's), over real files and real processes:
// who holds it is named by pid and start time, so a zombie or a reused pid never does.

const root = await mkdtemp(join(tmpdir(), "csm-process-lock-"));
afterAll(() => rm(root, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

test("a zombie has not finished being a pid, but it no longer runs", async () => {
  // The background `sleep` exits under a parent (the exec'd `sleep 5`) that never reaps it.
  // It must outlive the shell: one that ended first could be reaped by the shell before
  // its exec, and then it was no pid at all (a CI run failed so).
  const parent = Bun.spawn(["sh", "-c", "sleep 0.3 & echo $!; exec sleep 5"], { stdout: "pipe" });
  try {
    // Read the whole line: under load the first chunk can hold only part of the pid.
    const reader = parent.stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const zombie = Number(text.trim());
    await waitFor(() => !processRuns(zombie), { timeoutMs: 10_000, what: "the background sleep to end" });
    expect(processAlive(zombie)).toBe(true);
  } finally {
    parent.kill();
  }
});

test("a pid runs only with the start time it had", () => {
  const start = processStartTime(process.pid);
  expect(start).toMatch(/^\d+$/);
  expect(processRuns(process.pid, start)).toBe(true);
  expect(processRuns(process.pid, `${start}0`)).toBe(false);
});

test("taken once; a second try in the same process is nested and releasing that keeps it", () => {
  const path = join(root, "nested.lock");
  const first = tryLock(path);
  expect(first).toMatchObject({ acquired: true, nested: false });
  const second = tryLock(path);
  expect(second).toMatchObject({ acquired: true, nested: true });
  if (second.acquired) second.release();
  expect(lockOwner(path)).toEqual({ pid: process.pid, start: processStartTime(process.pid) });
  if (first.acquired) first.release();
  expect(lockOwner(path)).toBeNull();
});

test("a lock left by a dead process, or naming a live pid with another start time, is taken over", async () => {
  for (const content of [`${await deadPid()} 12345\n`, `${process.ppid} 1\n`, "garbage"]) {
    const path = join(root, `stale-${crypto.randomUUID()}.lock`);
    await writeFile(path, content);
    const attempt = tryLock(path);
    expect({ content, acquired: attempt.acquired }).toEqual({ content, acquired: true });
    if (attempt.acquired) attempt.release();
  }
});

test("a lock whose owner runs is refused, naming the owner", async () => {
  const path = join(root, "held.lock");
  const owner = { pid: process.ppid, start: processStartTime(process.ppid) };
  await writeFile(path, `${owner.pid} ${owner.start}\n`);
  expect(tryLock(path)).toEqual({ acquired: false, owner });
});

// Six bun processes starting at once take more than bun's 5 s default on a loaded machine.
// Each racer holds what it got until told to finish (its stdin ends): one that got the lock
// and then exited would leave a stale lock for a racer that started late to take over.
test("processes that race for a stale lock: exactly one gets it", async () => {
  const path = join(root, "race.lock");
  await writeFile(path, `${await deadPid()} 12345\n`);
  const script = `const { tryLock } = await import(${JSON.stringify(join(import.meta.dir, "../../src/shared/process-lock.ts"))});
    const attempt = tryLock(${JSON.stringify(path)});
    console.log(attempt.acquired ? "got" : "refused");
    await Bun.stdin.text();`;
  const racers = Array.from({ length: 6 }, () => Bun.spawn(["bun", "-e", script], { stdin: "pipe", stdout: "pipe" }));
  const firstLine = async (stdout: ReadableStream<Uint8Array>) => {
    const reader = stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return text.trim();
  };
  try {
    const said = await Promise.all(racers.map((racer) => firstLine(racer.stdout)));
    expect(said.sort()).toEqual(["got", "refused", "refused", "refused", "refused", "refused"]);
  } finally {
    for (const racer of racers) racer.stdin.end();
    await Promise.all(racers.map((racer) => racer.exited));
  }
}, 15_000);
