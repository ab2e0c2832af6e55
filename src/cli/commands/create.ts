import { isSessionMode, SESSION_MODES, type SessionMode } from "../../config/session-mode.ts";
import { createContext } from "../../core/context.ts";
import { createSession } from "../../core/sessions/create.ts";
import { checkStartFrom, parsePullRequestNumber } from "../../core/sessions/worktree-start.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import type { TransportChoice } from "../../link/transport.ts";
import { usageError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

const TRANSPORTS = ["auto", "bridge", "sdk-url"];

/** `--mode`, checked; undefined when not given (the configured sessionMode then). */
export function modeFlag(value: string | undefined): SessionMode | undefined {
  if (value === undefined || isSessionMode(value)) return value;
  throw usageError(`create: --mode must be ${SESSION_MODES.join(" or ")} (got ${JSON.stringify(value)})`);
}

/**
 * `--transport` picks how a headless claude talks to csm; a native session has no such
 * choice, so asking for one there is a mistake to point out, not a flag to drop quietly.
 */
export function checkTransportFits(transport: string | undefined, given: SessionMode | undefined, configured: SessionMode): void {
  if (transport === undefined || (given ?? configured) === "headless") return;
  if (given === "native") throw usageError("create: --transport is for headless sessions; drop it, or use --mode headless");
  throw usageError("create: --transport is for headless sessions, and sessionMode makes this one native; add --mode headless");
}

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "create",
    argv,
    {
      repo: { type: "string" },
      base: { type: "string" },
      branch: { type: "string" },
      pr: { type: "string" },
      remote: { type: "string" },
      prompt: { type: "string" },
      project: { type: "string" },
      transport: { type: "string" },
      mode: { type: "string" },
      "no-worktree": { type: "boolean" },
      json: { type: "boolean" },
    },
    { min: 1, max: 1 },
  );
  checkName("session", positionals[0]!);
  if (flags.transport !== undefined && !TRANSPORTS.includes(flags.transport)) {
    throw usageError(`create: --transport must be auto, bridge or sdk-url (got ${JSON.stringify(flags.transport)})`);
  }
  const mode = modeFlag(flags.mode);
  const pr = flags.pr === undefined ? undefined : parsePullRequestNumber(flags.pr);
  checkStartFrom({ base: flags.base, branch: flags.branch, pr, remote: flags.remote }, flags["no-worktree"]);
  const ctx = await createContext();
  try {
    // Before createSession: a refused combination starts nothing.
    checkTransportFits(flags.transport, mode, ctx.settings.sessionMode);
    const { session, warnings } = await createSession(ctx, {
      name: positionals[0]!,
      repo: flags.repo,
      base: flags.base,
      branch: flags.branch,
      pr,
      remote: flags.remote,
      prompt: flags.prompt,
      project: flags.project,
      noWorktree: flags["no-worktree"],
      mode,
      transport: (flags.transport ?? ctx.settings.config.claudeTransport ?? "auto") as TransportChoice,
      cwd: process.cwd(),
      // The hub before the session (it links as soon as claude starts), after the checks
      // (bad input starts nothing).
      prepareHub: async () => (await ensureHub(ctx)).info.port,
    });
    for (const warning of warnings) io.err(`csm: warning: ${warning}`);
    if (flags.json) printJson(io, session);
    else {
      const where = session.branch ? `branch ${session.branch}, worktree ${session.worktree}` : `in ${session.worktree}`;
      io.out(`created ${session.name} (${where}, tmux ${session.tmuxSession})`);
      io.out(`attach with: csm attach ${session.name}`);
    }
    return 0;
  } finally {
    ctx.close();
  }
}
