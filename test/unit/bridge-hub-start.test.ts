import { expect, test } from "bun:test";
import type { PipedProcess } from "../../src/host/runner.ts";
import { runBridge, type AgentSocket, type BridgeDeps } from "../../src/link/bridge.ts";
import { plain } from "../../src/link/render.ts";
import { launchSpec } from "../helpers/launch-spec.ts";

// A bridge whose hub is gone starts one when its first reconnect fails, and less and less
// often while none comes up: never one start per reconnect.

function quietClaude() {
  let exit!: (code: number) => void;
  let end!: () => void;
  const process: PipedProcess = {
    pid: 7,
    write: () => {},
    closeStdin: () => {},
    stdout: new ReadableStream({ start: (c) => void (end = () => c.close()) }),
    stderr: new ReadableStream({ start: (c) => c.close() }),
    exited: new Promise((resolve) => (exit = (code) => resolve({ code, signal: null }))),
    kill: () => {},
  };
  return { process, finish: () => (end(), exit(0)) };
}

/** A hub that answers while `up` (`hellos` counts its answers), and whose sockets close at once while it is down. */
function flakyHub() {
  const state = { up: true, connects: 0, hellos: 0, current: null as null | { message(text: string): void; close(): void } };
  const connect: BridgeDeps["connect"] = (_url, _secret, handlers) => {
    state.connects += 1;
    state.current = handlers;
    if (state.up)
      setTimeout(() => {
        handlers.message(`${JSON.stringify({ type: "csm_hello", lastSeq: 0 })}\n`);
        state.hellos += 1;
      }, 0);
    else setTimeout(() => handlers.close(), 0);
    return { send: () => {}, close: () => {} } satisfies AgentSocket;
  };
  return { state, connect, drop: () => ((state.up = false), state.current!.close()) };
}

const spec = launchSpec();

function start(hub: ReturnType<typeof flakyHub>, startHub: BridgeDeps["startHub"]) {
  const claude = quietClaude();
  const printed: string[] = [];
  const done = runBridge(spec, {
    spawnClaude: () => claude.process,
    connect: hub.connect,
    print: (line) => void printed.push(line),
    typed: null,
    palette: plain,
    sleep: () => Bun.sleep(1),
    flushTimeoutMs: 20,
    serveHooks: async () => ({ env: {}, stop() {} }),
    judgeToolUse: async () => ({ kind: "pass" as const }),
    startHub,
  });
  return { printed, done, finish: claude.finish };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 2000 && !what(); i++) await Bun.sleep(2);
};

test("starts a hub when the first reconnect fails, then ever more rarely while it cannot", async () => {
  const hub = flakyHub();
  const startsAt: number[] = [];
  const bridge = start(hub, async () => {
    startsAt.push(hub.state.connects - 1);
    throw new Error("port taken");
  });
  await until(() => hub.state.connects === 1);
  await Bun.sleep(5);
  hub.drop();
  await until(() => hub.state.connects >= 41);
  // Failed reconnects since the drop: the first start after one, then 5, 10, 20 more.
  expect(startsAt).toEqual([1, 6, 16, 36]);
  expect(bridge.printed.filter((line) => line.includes("could not start the csm hub: port taken"))).toHaveLength(4);
  bridge.finish();
  await bridge.done;
});

test("a hub that comes back resets the count; a hub stopped on purpose is said once", async () => {
  const hub = flakyHub();
  let starts = 0;
  const startsAt: number[] = [];
  const bridge = start(hub, async () => {
    starts += 1;
    startsAt.push(hub.state.connects);
    if (starts === 1) hub.state.up = true;
    return starts === 1 ? "running" : "stopped-on-purpose";
  });
  await until(() => hub.state.connects === 1);
  await Bun.sleep(5);
  hub.drop();
  // The link takes a hello at once (hub-link.ts): after the second one it has relinked.
  await until(() => hub.state.hellos === 2);
  const relinkedAt = hub.state.connects;
  hub.drop();
  await until(() => hub.state.connects >= relinkedAt + 10);
  // Counted afresh after the relink: a start at its first failed reconnect, then 5 later.
  expect(startsAt.slice(1)).toEqual([relinkedAt + 1, relinkedAt + 6]);
  expect(bridge.printed.filter((line) => line.includes("stopped on purpose"))).toHaveLength(1);
  bridge.finish();
  await bridge.done;
});
