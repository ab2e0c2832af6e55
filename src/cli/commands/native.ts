import { readFileSync, rmSync, statSync } from "node:fs";
import { claudeConfigDir } from "../../config/claude-config-dir.ts";
import { csmPaths } from "../../config/paths.ts";
import { createContext, AGENT_WINDOW, tmuxSessionName } from "../../core/context.ts";
import { preToolUseVerdict } from "../../core/rules/pre-tool-use.ts";
import { RuleSource } from "../../core/rules/rule-source.ts";
import { LocalHost } from "../../host/local.ts";
import { readFrom } from "../../host/read-range.ts";
import { resolveRealPath } from "../../host/real-path.ts";
import { startHookServer } from "../../link/hook-server.ts";
import { BRIDGE_HOOK_SECRET_VARIABLE } from "../../link/hook-settings.ts";
import { conversationIdOf, newSecret } from "../../link/launch.ts";
import { runNative, type ClaudeStatus } from "../../link/native.ts";
import { statusCopyOf } from "../../link/native-settings.ts";
import { projectSlug } from "../../core/carry/path-map.ts";
import { plain } from "../../link/render.ts";
import { pasteableText } from "../../link/typed-text.ts";
import type { Output } from "../io.ts";
import { agentSocketFor } from "../agent-socket.ts";
import { recordExit, startHubFor, takeLaunchSpec, writeNativeSettings } from "./agent-spec.ts";

// What a native session's agent window runs: `csm native NAME`, the supervisor of claude's
// own screen (see link/native.ts). claude has the pane's terminal; this process prints
// nothing while claude runs.

export async function run(argv: string[], io: Output): Promise<number> {
  if (!argv[0]) {
    io.err("csm: native needs a session name");
    return 2;
  }
  const spec = await takeLaunchSpec(argv[0]);
  const host = new LocalHost();
  const ctx = await createContext(spec.env);
  const rules = new RuleSource(csmPaths(spec.env).configFile);
  const tmuxSession = tmuxSessionName(spec.session);
  const sessionsDir = `${claudeConfigDir(spec.env)}/sessions`;
  const statusCopy = statusCopyOf(spec.hookSettingsFile);
  const costUsd = costReader(statusCopy);
  // Killed with its tmux session (SIGHUP) or stopped: the settings file and status copy go with it.
  for (const signal of ["SIGHUP", "SIGTERM"] as const) {
    process.on(signal, () => {
      for (const file of [spec.hookSettingsFile, statusCopy]) rmSync(file, { force: true });
      process.exit(128 + (signal === "SIGHUP" ? 1 : 15));
    });
  }
  let status: number;
  try {
    status = await runNative(spec, {
      spawnClaude: (claudeArgv, env) => host.spawnAttached(claudeArgv, { cwd: spec.cwd, env }),
      connect: agentSocketFor(spec),
      // claude owns the screen: the link's own lines are never drawn over it (its state reaches the hub).
      print: () => {},
      palette: plain,
      sleep: (ms) => Bun.sleep(ms),
      serveHooks: async (answer) => {
        const secret = newSecret();
        const server = startHookServer(secret, answer, "/hooks/native");
        await writeNativeSettings(spec, server.url, BRIDGE_HOOK_SECRET_VARIABLE);
        return {
          env: { [BRIDGE_HOOK_SECRET_VARIABLE]: secret },
          stop() {
            server.stop();
            // At once: the process exits right after.
            for (const file of [spec.hookSettingsFile, statusCopy]) rmSync(file, { force: true });
          },
        };
      },
      judgeToolUse: async (call) => preToolUseVerdict(await rules.get(), call, { worktree: spec.cwd, realPath: resolveRealPath, settleAllows: true }),
      typeText: (text) => ctx.tmux.pasteText(tmuxSession, AGENT_WINDOW, pasteableText(text)),
      pressEscape: () => ctx.tmux.pressKey(tmuxSession, AGENT_WINDOW, "Escape"),
      claudeStatus: (pid) => readClaudeStatus(`${sessionsDir}/${pid}.json`),
      costUsd,
      readFrom,
      fileSize: (path) => statSync(path, { throwIfNoEntry: false })?.size ?? 0,
      transcriptPath: `${claudeConfigDir(spec.env)}/projects/${projectSlug(spec.cwd)}/${conversationIdOf(spec.argv)}.jsonl`,
      startHub: () => startHubFor(spec),
    });
  } catch (error) {
    io.err(`csm: ${(error as Error).message}`);
    status = 127;
  } finally {
    ctx.close();
  }
  await recordExit(spec, status);
  await io.flush();
  process.exit(status);
}

function readClaudeStatus(path: string): ClaudeStatus | null {
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as { status?: unknown; statusUpdatedAt?: unknown; waitingFor?: unknown };
    if (typeof file.status !== "string") return null;
    return { status: file.status, updatedAt: typeof file.statusUpdatedAt === "number" ? file.statusUpdatedAt : 0, waitingFor: typeof file.waitingFor === "string" ? file.waitingFor : null };
  } catch {
    return null;
  }
}

/** claude's total cost as its statusLine input last said, read again only when the copy changed. */
function costReader(path: string): () => number | null {
  let seen: { mtimeMs: number; cost: number | null } = { mtimeMs: -1, cost: null };
  return () => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs === seen.mtimeMs) return seen.cost;
    try {
      const cost = (JSON.parse(readFileSync(path, "utf8")) as { cost?: { total_cost_usd?: unknown } }).cost?.total_cost_usd;
      seen = { mtimeMs: stat.mtimeMs, cost: typeof cost === "number" ? cost : seen.cost };
    } catch {
      // Half-written by claude's statusLine command: read it next time.
    }
    return seen.cost;
  };
}
