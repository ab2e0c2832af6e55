import { expect, test } from "bun:test";
import { Tmux, TmuxError } from "../../src/adapters/tmux.ts";
import type { RunResult, Runner } from "../../src/host/runner.ts";

// new-session against a tmux server that is still exiting (its last session just ended)
// is tried again; any other failure is not.

function scripted(results: RunResult[]) {
  const calls: string[][] = [];
  const runner = {
    hostName: "local",
    async run(argv: readonly string[]) {
      calls.push([...argv]);
      return results.shift() ?? { code: 0, stdout: "", stderr: "" };
    },
  } as unknown as Runner;
  return { runner, calls };
}

const spec = { session: "csm-a", window: "agent", cwd: "/w", argv: ["bun", "bridge"] };
const exiting: RunResult = { code: 1, stdout: "", stderr: "server exited unexpectedly\n" };

test("a server on its way out: new-session is tried again and succeeds", async () => {
  const { runner, calls } = scripted([exiting, exiting]);
  await new Tmux(runner, "sock", {}).newSession(spec);
  expect(calls).toHaveLength(3);
  expect(calls[0]).toEqual(calls[2]!);
  expect(calls[0]!.slice(0, 5)).toEqual(["tmux", "-L", "sock", "new-session", "-d"]);
});

test("three times gone is an error; a duplicate session is not retried", async () => {
  const gone = scripted([exiting, exiting, exiting]);
  await expect(new Tmux(gone.runner, "sock", {}).newSession(spec)).rejects.toThrow("server exited unexpectedly");
  expect(gone.calls).toHaveLength(3);
  const duplicate = scripted([{ code: 1, stdout: "", stderr: "duplicate session: csm-a\n" }]);
  await expect(new Tmux(duplicate.runner, "sock", {}).newSession(spec)).rejects.toBeInstanceOf(TmuxError);
  expect(duplicate.calls).toHaveLength(1);
});
