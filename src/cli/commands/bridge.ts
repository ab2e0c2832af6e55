import { CappedLog } from "../../host/pane-log.ts";
import { csmPaths } from "../../config/paths.ts";
import { preToolUseVerdict } from "../../core/rules/pre-tool-use.ts";
import { RuleSource } from "../../core/rules/rule-source.ts";
import { LocalHost } from "../../host/local.ts";
import { resolveRealPath } from "../../host/real-path.ts";
import { runBridge } from "../../link/bridge.ts";
import { startHookServer } from "../../link/hook-server.ts";
import { BRIDGE_HOOK_SECRET_VARIABLE } from "../../link/hook-settings.ts";
import { newSecret, type LaunchSpec } from "../../link/launch.ts";
import { colours, plain } from "../../link/render.ts";
import type { Output } from "../io.ts";
import { agentSocketFor } from "../agent-socket.ts";
import { recordExit, startHubFor, takeLaunchSpec, writeHookSettings } from "./agent-spec.ts";

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
    connect: agentSocketFor(spec),
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
