import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { FAKE_API_KEY, prepareClaudeEnv } from "../fixtures/fake-anthropic.ts";
import { REAL_CLAUDE } from "./live.ts";
import { makeSandbox, CSM_ENTRY, FAKE_CLAUDE, freePort, stopHubOf, type Sandbox } from "./sandbox.ts";
import { startSshd, type Sshd } from "./sshd.ts";

// A second machine for tests: Debian's sshd on 127.0.0.1, and behind it a csm with a
// world of its own (HOME, XDG dirs, tmux socket, hub port), configured in the local csm
// as host "devbox". Remote means a real SSH hop; everything stays in the sandbox.

export interface RemoteSandbox extends AsyncDisposable {
  sb: Sandbox;
  sshd: Sshd;
  /** The remote csm's environment (what `hosts.devbox.env` exports). */
  remoteEnv: Record<string, string>;
  /** A git repository for remote sessions. */
  remoteRepo: string;
  /** Runs a command as the remote host's csm would see it (its env), locally. */
  remoteTmux(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

export async function makeRemoteSandbox(options: { extraHosts?: Record<string, unknown>; remoteEnv?: Record<string, string> } = {}): Promise<RemoteSandbox> {
  const sb = await makeSandbox();
  const sshd = await startSshd();
  const remoteRoot = join(sb.paths.root, "devbox");
  mkdirSync(remoteRoot, { recursive: true });
  const remoteSocket = sb.extraSocket("devbox");
  const remoteEnv: Record<string, string> = {
    HOME: join(remoteRoot, "home"),
    XDG_CONFIG_HOME: join(remoteRoot, "config"),
    XDG_STATE_HOME: join(remoteRoot, "state"),
    XDG_DATA_HOME: join(remoteRoot, "data"),
    TMUX_TMPDIR: sb.paths.tmuxTmpdir,
    CSM_TMUX_SOCKET: remoteSocket,
    CSM_PORT: String(freePort()),
    CSM_CLAUDE_BIN: FAKE_CLAUDE,
    FAKE_CLAUDE_LOG: join(remoteRoot, "fake-claude.log"),
    // Like the local sandbox: the fake claude speaks stream-json only.
    CSM_SESSION_MODE: "headless",
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    ...options.remoteEnv,
  };
  mkdirSync(remoteEnv.HOME!, { recursive: true });
  const remoteRepo = await sb.makeRepo("remote-app");
  const client = sshd.client();
  mkdirSync(join(sb.paths.home, ".ssh"), { recursive: true });
  copyFileSync(sshd.knownHostsPath, join(sb.paths.home, ".ssh", "known_hosts"));
  await sb.writeConfig({
    hosts: {
      devbox: { host: client.config.host, port: client.config.port, user: client.config.user, identityFile: client.config.identityFile, csmPath: CSM_ENTRY, defaultRepo: remoteRepo, env: remoteEnv },
      ...options.extraHosts,
    },
  });
  return {
    sb,
    sshd,
    remoteEnv,
    remoteRepo,
    remoteTmux: (args) => sb.run(["tmux", "-L", remoteSocket, ...args], { env: { TMUX_TMPDIR: sb.paths.tmuxTmpdir } }),
    async [Symbol.asyncDispose]() {
      // The remote csm's hub runs on this machine, started by our test: stop it by its pid file.
      await stopHubOf(remoteEnv.XDG_STATE_HOME!);
      await sb.dispose();
      await sshd.stop();
    },
  };
}

/**
 * The remote csm's env for sessions running the real claude against the fake API: the claude
 * env prepareClaudeEnv made for that machine (its own config dir), the fake API's address.
 */
export function realClaudeRemoteEnv(claudeEnv: Record<string, string>): Record<string, string> {
  return {
    CLAUDE_CONFIG_DIR: claudeEnv.CLAUDE_CONFIG_DIR!,
    ANTHROPIC_BASE_URL: claudeEnv.ANTHROPIC_BASE_URL!,
    ANTHROPIC_API_KEY: claudeEnv.ANTHROPIC_API_KEY!,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    CSM_CLAUDE_BIN: REAL_CLAUDE,
  };
}

/**
 * Makes devbox run the real claude against the fake API: a claude config dir of its own
 * (trusting the remote repo), its variables in the host's env in the local config.
 */
export async function useRealClaudeOnDevbox(remote: RemoteSandbox, apiUrl: string): Promise<void> {
  const { sb } = remote;
  const claudeEnv = prepareClaudeEnv({ root: join(sb.paths.root, "devbox-claude"), apiUrl, projectDir: remote.remoteRepo });
  const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
  const { HOME: _home, ...claudeVars } = claudeEnv;
  Object.assign(config.hosts.devbox.env, claudeVars, { CSM_CLAUDE_BIN: REAL_CLAUDE, CLAUDE_CODE_MAX_RETRIES: "0", ANTHROPIC_API_KEY: FAKE_API_KEY });
  await sb.writeConfig(config);
}
