import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CappedLog, olderHalf, PANE_LOG_LIMIT_BYTES, paneLogSize, readPaneLogTail, removePaneLog } from "../../src/host/pane-log.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";

// The capped writer behind `csm pane-log`, on real files: however much a pane prints, its
// log holds at most 1 MB, and always the newest output.

function withDir(run: (dir: string) => Promise<void> | void) {
  const dir = mkdtempSync(join(tmpdir(), "csm-pane-log-"));
  return Promise.resolve(run(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const line = (n: number) => `line ${String(n).padStart(7, "0")} ${"x".repeat(80)}\n`;

test("3 MB written in pane-sized chunks: at most 1 MB kept, the newest, files 0600", () =>
  withDir((dir) => {
    const path = join(dir, "logs", "s.log");
    const log = new CappedLog(path);
    let n = 0;
    let written = 0;
    while (written < 3 * PANE_LOG_LIMIT_BYTES) {
      const chunk = Array.from({ length: 37 }, () => line(n++)).join("");
      log.write(new TextEncoder().encode(chunk));
      written += chunk.length;
      expect(paneLogSize(path)).toBeLessThanOrEqual(PANE_LOG_LIMIT_BYTES);
    }
    log.close();
    expect(paneLogSize(path)).toBeGreaterThanOrEqual(PANE_LOG_LIMIT_BYTES / 2);
    const tail = readPaneLogTail(path, PANE_LOG_LIMIT_BYTES)!.toString();
    expect(tail.endsWith(line(n - 1))).toBe(true);
    // Continuous: the kept lines are the last ones, in order, none missing.
    const numbers = tail.split("\n").slice(1, -1).map((l) => Number(l.split(" ")[1]));
    expect(numbers.at(-1)).toBe(n - 1);
    expect(numbers.every((value, i) => i === 0 || value === numbers[i - 1]! + 1)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(olderHalf(path)).mode & 0o777).toBe(0o600);
    expect(readPaneLogTail(path, 100)!.toString()).toBe((line(n - 2) + line(n - 1)).slice(-100));
    removePaneLog(path);
    expect(readPaneLogTail(path, 100)).toBeNull();
  }));

test("a chunk bigger than the cap keeps only its end", () =>
  withDir((dir) => {
    const path = join(dir, "big.log");
    const log = new CappedLog(path, 1000);
    log.write(new TextEncoder().encode("a".repeat(5000) + "THE END"));
    log.write(new TextEncoder().encode("!"));
    log.close();
    expect(paneLogSize(path)).toBeLessThanOrEqual(1000);
    expect(readPaneLogTail(path, 1000)!.toString().endsWith("THE END!")).toBe(true);
  }));

test("csm pane-log: stdin kept capped, the text only ever written (never run)", () =>
  withDir(async (dir) => {
    const path = join(dir, "pane.log");
    const marker = join(dir, "pwned");
    const hostile = `$(touch ${marker}) \`touch ${marker}\`; touch ${marker}\n\x1b]0;title\x07`;
    const proc = Bun.spawn([process.execPath, CSM_ENTRY, "pane-log", path], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    proc.stdin.write(hostile);
    const filler = new TextEncoder().encode(line(0).repeat(300));
    for (let i = 0; i < 100; i++) proc.stdin.write(filler);
    proc.stdin.write("last words\n");
    await proc.stdin.end();
    expect(await proc.exited).toBe(0);
    expect(paneLogSize(path)).toBeLessThanOrEqual(PANE_LOG_LIMIT_BYTES);
    expect(readFileSync(path, "utf8").endsWith("last words\n")).toBe(true);
    expect(Bun.file(marker).size).toBe(0);
    expect(await Bun.file(marker).exists()).toBe(false);
  }));
