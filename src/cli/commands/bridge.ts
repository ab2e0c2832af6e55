import { CappedLog } from "../../host/pane-log.ts";
import { csmPaths } from "../../config/paths.ts";
import { createContext } from "../../core/context.ts";
import { preToolUseVerdict } from "../../core/rules/pre-tool-use.ts";
import { RuleSource } from "../../core/rules/rule-source.ts";
import { LocalHost } from "../../host/local.ts";
import { stoppedOnPurpose } from "../../hub-client/hub-files.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { resolveRealPath } from "../../host/real-path.ts";
import { runBridge } from "../../link/bridge.ts";
import { startHookServer } from "../../link/hook-server.ts";
import { BRIDGE_HOOK_SECRET_VARIABLE } from "../../link/hook-settings.ts";
import { newSecret, type LaunchSpec } from "../../link/launch.ts";
import { colours, plain } from "../../link/render.ts";
import type { Output } from "../io.ts";
import { recordExit, takeLaunchSpec, writeHookSettings } from "./agent-spec.ts";

// What a bridge session's agent window runs: `csm bridge NAME`.
export async function run(argv: string[], io: Output): Promise<number> {
  if (!argv[0]) {
    io.err("csm: bridge needs a session name");
    return 2;
  }
  const spec = await takeLaunchSpec(argv[0]);
  // What the pane shows, kept for the archive (see core/sessions/archive-pane-log.ts).
  const paneLog = spec.paneLog ? openPaneLog(spec.paneLog) : null;
  const encoder = new TextEncoder();
  const host = new LocalHost();
  // The same config file the hub reads: one rule list, whoever applies it.
  const rules = new RuleSource(csmPaths(spec.env).configFile);
  const status = await runBridge(spec, {
    spawnClaude: (s) => host.spawnPiped(s.argv, { cwd: s.cwd, env: s.env }),
    connect(url, secret, handlers) {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${secret}` } } as unknown as string[]);
      socket.onopen = () => handlers.open();
      socket.onmessage = (event) => handlers.message(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer));
      socket.onclose = () => handlers.close();
      socket.onerror = () => {};
      return { send: (text) => socket.send(text), close: () => socket.close(1000) };
    },
    print: (line) => {
      io.out(line);
      paneLog?.write(encoder.encode(`${line}\n`));
    },
    typed: process.stdin.isTTY ? (console as unknown as AsyncIterable<string>) : null,
    palette: process.env.NO_COLOR ? plain : colours,
    sleep: (ms) => Bun.sleep(ms),
    serveHooks: (answer) => serveHooks(spec, answer),
    judgeToolUse: async (call) => preToolUseVerdict(await rules.get(), call, { worktree: spec.cwd, realPath: resolveRealPath }),
    startHub: () => startHubFor(spec),
  });
  await recordExit(spec, status);
  // Reading the pane's terminal would keep this process alive; the pane must end with claude.
  await io.flush();
  process.exit(status);
}

function openPaneLog(path: string): CappedLog | null {
  try {
    return new CappedLog(path);
  } catch {
    // A log is a help, not a need: the session runs without one.
    return null;
  }
}

async function serveHooks(spec: LaunchSpec, answer: (payload: unknown) => Promise<Record<string, unknown>>) {
  const secret = newSecret();
  const server = startHookServer(secret, answer);
  const removeSettings = await writeHookSettings(spec, server.url, BRIDGE_HOOK_SECRET_VARIABLE);
  return {
    env: { [BRIDGE_HOOK_SECRET_VARIABLE]: secret },
    stop() {
      server.stop();
      void removeSettings();
    },
  };
}

/**
 * A hub for a bridge whose hub is gone: with the session's own environment (its state dir
 * and config) and on the port its agent URL names, so the bridge can relink to it.
 */
async function startHubFor(spec: LaunchSpec): Promise<"running" | "stopped-on-purpose"> {
  const ctx = await createContext(spec.env);
  try {
    if (await stoppedOnPurpose(ctx.settings.paths.stateDir)) return "stopped-on-purpose";
    await ensureHub(ctx, { port: Number(new URL(spec.agentUrl).port) });
    return "running";
  } finally {
    ctx.close();
  }
}
