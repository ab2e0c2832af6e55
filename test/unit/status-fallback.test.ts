import { expect, test } from "bun:test";
import { freshMemory, judgeStatus, SILENT_HOOK_MS, type ClaudeStatus, type HeardState } from "../../src/link/status-fallback.ts";

// claude's status file as the second witness of a native session's state: an Esc, and hooks that went silent.

const file = (status: string, updatedAt: number, waitingFor: string | null = null): ClaudeStatus => ({ status, updatedAt, waitingFor });
const heard = (state: HeardState, busySince: number | null = null, lastHookAt: number | null = null) => ({ state, busySince, lastHookAt });

test("an Esc: the file goes idle after the hook that made claude busy", () => {
  expect(judgeStatus(file("idle", 2000), heard("busy", 1000, 1000), freshMemory(), 2100)).toEqual({ kind: "interrupted" });
  // The file written before that hook is old news, not an interrupt.
  expect(judgeStatus(file("idle", 900), heard("busy", 1000, 1000), freshMemory(), 2100)).toEqual({ kind: "none" });
});

test("a disagreement is believed only after SILENT_HOOK_MS, said once, and undone when the two agree", () => {
  const memory = freshMemory();
  const waiting = file("waiting", 5000, "permission prompt");
  expect(judgeStatus(waiting, heard("idle", null, 4000), memory, 5000)).toEqual({ kind: "none" });
  expect(judgeStatus(waiting, heard("idle", null, 4000), memory, 5000 + SILENT_HOOK_MS)).toEqual({ kind: "none" });
  expect(judgeStatus(waiting, heard("idle", null, 4000), memory, 5001 + SILENT_HOOK_MS)).toEqual({
    kind: "fallback",
    state: "waiting",
    reason: "claude shows permission prompt (answer it with csm attach), but no hook said so: from claude's status file",
  });
  expect(judgeStatus(waiting, heard("idle", null, 4000), memory, 9000 + SILENT_HOOK_MS)).toEqual({ kind: "none" });
  expect(judgeStatus(file("idle", 9000), heard("idle", null, 4000), memory, 9500 + SILENT_HOOK_MS)).toEqual({ kind: "agreed", state: "idle" });
});

test("a file older than the last hook never outvotes it; no file, nothing to say", () => {
  expect(judgeStatus(file("busy", 1000), heard("idle", null, 2000), freshMemory(), 10_000)).toEqual({ kind: "none" });
  expect(judgeStatus(null, heard("busy", 1000, 1000), freshMemory(), 10_000)).toEqual({ kind: "none" });
});
