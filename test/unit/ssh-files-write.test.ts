import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunOptions, RunResult } from "../../src/host/runner.ts";
import { remoteFiles } from "../../src/host/ssh-files.ts";

// A remote host's atomic write, its sh script run by the real sh here: a transfer cut short
// (a dropped connection ends cat's input early) never takes the target's place.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "csm-ssh-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs argv here; `keep` is how much of the input arrives (all of it unless cut). */
const localRun = (keep = (input: string) => input) => async (argv: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
  const child = Bun.spawn([...argv], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  child.stdin.write(keep(options.input ?? ""));
  await child.stdin.end();
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
};

test("a whole transfer replaces the target; one cut short fails and leaves the target and no temporary file", async () => {
  const target = join(dir, "sub", "transcript.jsonl");
  const text = "é".repeat(1000);
  await remoteFiles("devbox", localRun()).writeAtomic(target, text, 0o600);
  expect(readFileSync(target, "utf8")).toBe(text);

  const cut = remoteFiles("devbox", localRun((input) => input.slice(0, 300)));
  await expect(cut.writeAtomic(target, "x".repeat(5000), 0o600)).rejects.toThrow("writing");
  expect(readFileSync(target, "utf8")).toBe(text);
  expect(readdirSync(join(dir, "sub"))).toEqual(["transcript.jsonl"]);
});
