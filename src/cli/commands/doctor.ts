import { accessSync, constants, mkdirSync, readFileSync } from "node:fs";
import { claudeConfigDir } from "../../adapters/claude-files.ts";
import { Git } from "../../adapters/git.ts";
import { parseGitVersion } from "../../adapters/git-format.ts";
import { Tmux } from "../../adapters/tmux.ts";
import { parseTmuxVersion } from "../../adapters/tmux-format.ts";
import { checkConfigLink, loadSettings, type Settings } from "../../config/load.ts";
import { csmPaths } from "../../config/paths.ts";
import { LocalHost } from "../../host/local.ts";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { findHubAt } from "../../hub-client/client.ts";
import { liveHubInfo } from "../../hub-client/hub-files.ts";
import { chooseTransport } from "../../link/transport.ts";
import { checkDatabase, damagedStores, LOST_WITH_STORE } from "../../store/db-damage.ts";
import type { Output } from "../io.ts";
import { claudeJsonPath } from "../../core/sessions/claude-trust.ts";
import { oneLine } from "../../shared/printable.ts";

interface Check {
  name: string;
  ok: boolean;
  /** Worth knowing, but nothing is broken: printed as WARN, the exit code stays 0. */
  warn?: boolean;
  detail: string;
  fix?: string;
  path?: string;
}

export async function run(_argv: string[], io: Output): Promise<number> {
  const host = new LocalHost();
  const checks: Check[] = [];
  let settings: Settings | null = null;
  try {
    settings = await loadSettings();
    checkConfigLink(settings.paths.configFile);
    checks.push({ name: "config", ok: true, detail: `${settings.paths.configFile} is valid` });
  } catch (error) {
    checks.push({ name: "config", ok: false, detail: (error as Error).message, fix: `edit ${csmPaths().configFile}; see the README's config reference` });
  }

  checks.push({ name: "bun", ok: true, detail: `bun ${process.versions.bun}` });

  const tmuxVersion = await new Tmux(host, settings?.tmuxSocket).version();
  const tmuxParsed = tmuxVersion ? parseTmuxVersion(tmuxVersion) : null;
  checks.push(
    !tmuxVersion
      ? { name: "tmux", ok: false, detail: "not found", fix: "install tmux 3.0 or newer (apt-get install tmux / brew install tmux)" }
      : tmuxParsed && tmuxParsed[0] >= 3
        ? { name: "tmux", ok: true, detail: `${tmuxVersion}${settings?.tmuxSocket ? ` (socket -L ${settings.tmuxSocket})` : ""}` }
        : { name: "tmux", ok: false, detail: `${tmuxVersion} is older than 3.0`, fix: "upgrade tmux to 3.0 or newer" },
  );

  const gitVersion = await new Git(host).version();
  const gitParsed = gitVersion ? parseGitVersion(gitVersion) : null;
  checks.push(
    !gitVersion
      ? { name: "git", ok: false, detail: "not found", fix: "install git 2.17 or newer" }
      : gitParsed && (gitParsed[0] > 2 || (gitParsed[0] === 2 && gitParsed[1] >= 17))
        ? { name: "git", ok: true, detail: gitVersion }
        : { name: "git", ok: false, detail: `${gitVersion} is older than 2.17 (no \`git worktree remove\`)`, fix: "upgrade git" },
  );

  const claude = await checkClaude(host, settings?.claudeBin ?? "claude");
  checks.push(claude);
  if (claude.ok && claude.path) {
    const choice = settings?.config.claudeTransport ?? "auto";
    const decision = await chooseTransport(host, claude.path, choice, `${settings?.paths.stateDir ?? csmPaths().stateDir}/claude-versions.json`);
    checks.push({ name: "link", ok: true, detail: `${decision.transport} (${choice === "auto" ? decision.reason : `configured: ${choice}`})` });
  }
  if (settings) checks.push(modeCheck(settings));
  const hub = settings ? await liveHubInfo(settings.paths.stateDir) : null;
  checks.push({ name: "hub", ok: true, detail: hub ? `running: pid ${hub.pid}, 127.0.0.1:${hub.port}` : "not running (csm starts it when needed)" });

  if (settings) checks.push(...(await guardChecks(settings, hub !== null)));

  const stateDir = settings?.paths.stateDir ?? csmPaths().stateDir;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    accessSync(stateDir, constants.W_OK);
    checks.push({ name: "state", ok: true, detail: `${stateDir} is writable` });
  } catch (error) {
    checks.push({ name: "state", ok: false, detail: `${stateDir}: ${(error as Error).message}`, fix: "make the directory writable or set XDG_STATE_HOME" });
  }

  checks.push(storeCheck(settings?.paths.database ?? csmPaths().database));
  checks.push(transcriptCleanupCheck());

  for (const check of checks) {
    // Details quote versions, config errors and remote answers: text csm did not write.
    io.out(`${!check.ok ? "FAIL" : check.warn ? "WARN" : "ok  "}  ${check.name.padEnd(6)}  ${oneLine(check.detail)}${check.fix ? `\n        fix: ${oneLine(check.fix)}` : ""}`);
  }
  return checks.every((check) => check.ok) ? 0 : 1;
}

// Whether csm's approvals see what claude does: claude in a mode that runs tools unasked
// (see config/permission-modes.ts) never asks the rules or a person.
async function guardChecks(settings: Settings, hubRunning: boolean): Promise<Check[]> {
  const checks: Check[] = [];
  if (settings.config.allowSkipPermissions) {
    checks.push({ name: "guard", ok: true, warn: true, detail: "allowSkipPermissions is set: claudeArgs may let claude run tools without asking csm" });
  }
  const hub = hubRunning ? await findHubAt(settings.paths) : null;
  const sessions = hub ? await hub.request<LiveSessionView[]>("GET", "/api/sessions").catch(() => null) : null;
  if (!sessions) return checks;
  const unguarded = sessions.filter((s) => s.status !== "dead" && s.guarded === false);
  if (unguarded.length === 0) return [...checks, { name: "guard", ok: true, detail: "every running session asks csm before its tools run" }];
  const named = unguarded.map((s) => `${s.host === "local" ? s.name : `${s.name}@${s.host}`} (${s.permissionMode})`).join(", ");
  return [...checks, { name: "guard", ok: true, warn: true, detail: `running unguarded, tools run without asking csm: ${named}`, fix: "restart them without a skipping --permission-mode (claudeArgs, or the repo's .claude/settings.json defaultMode)" }];
}

// A damaged store is moved aside by the next csm that opens it (see store/db-damage.ts):
// say so, and what that cost, for as long as the moved file is there.
/**
 * claude deletes transcripts idle longer than its `cleanupPeriodDays` (default 30) when it
 * starts, with no trash: said here so nobody is surprised; csm never changes the setting.
 */
function transcriptCleanupCheck(): Check {
  const configDir = claudeConfigDir();
  const settingsFile = `${configDir}/settings.json`;
  let days: unknown;
  try {
    days = (JSON.parse(readFileSync(settingsFile, "utf8")) as { cleanupPeriodDays?: unknown }).cleanupPeriodDays;
  } catch {
    days = undefined;
  }
  const period = typeof days === "number" ? `${days} days (cleanupPeriodDays in ${settingsFile})` : `30 days (claude's default; set cleanupPeriodDays in ${settingsFile} to keep them longer)`;
  return { name: "transcripts", ok: true, detail: `claude itself deletes transcripts idle longer than ${period} when it starts, without a trash` };
}

function storeCheck(database: string): Check {
  const read = checkDatabase(database);
  if (!read.ok) return { name: "store", ok: false, detail: read.detail, fix: "stop the hub (`csm server stop`); the next csm command moves the file aside and starts a fresh one" };
  const stateDir = database.slice(0, database.lastIndexOf("/"));
  const moved = damagedStores(stateDir, database.slice(stateDir.length + 1));
  if (moved.length === 0) return { name: "store", ok: true, detail: read.detail };
  const last = `${stateDir}/${moved.at(-1)}`;
  return {
    name: "store",
    ok: true,
    warn: true,
    detail: `a damaged state database was moved aside to ${last}${moved.length > 1 ? ` (and ${moved.length - 1} before it)` : ""}; the fresh one started empty (${LOST_WITH_STORE})`,
    fix: `nothing to repair; remove ${last} once you no longer need it`,
  };
}

async function checkClaude(host: LocalHost, bin: string): Promise<Check> {
  const fix = "install it with `npm install -g @anthropic-ai/claude-code`, or point claudeBin (config) / CSM_CLAUDE_BIN at it";
  const path = bin.includes("/") ? ((await host.files.exists(bin)) ? bin : null) : await host.which(bin);
  if (!path) return { name: "claude", ok: false, detail: `${JSON.stringify(bin)} not found`, fix };
  const result = await host.run([path, "--version"], { timeoutMs: 15_000 }).catch((error: Error) => ({ code: -1, stdout: "", stderr: error.message }));
  if (result.code !== 0) return { name: "claude", ok: false, detail: `${path} --version failed: ${result.stderr.trim() || `exit ${result.code}`}`, fix };
  return { name: "claude", ok: true, detail: `${result.stdout.trim()} at ${path}`, path };
}

/** How new sessions run claude, and what native mode writes outside csm's own files. */
function modeCheck(settings: Settings): Check {
  if (settings.sessionMode === "headless") return { name: "mode", ok: true, detail: "headless: claude -p with stream-json, csm draws the pane" };
  return {
    name: "mode",
    ok: true,
    detail: `native: claude's own screen, with csm's hooks from a per-session --settings file; the one write to claude's config is the folder-trust flag for each new worktree, in ${claudeJsonPath(process.env)}`,
  };
}
