import { isAbsolute, resolve } from "node:path";
import { SpawnError } from "../../host/runner.ts";
import { CsmError } from "../../shared/errors.ts";
import type { Context } from "../context.ts";

// A project's setupScript and teardownScript: an argv array or one executable's path
// (relative to the worktree), never a shell string, run in the worktree with CSM_REPO and
// CSM_WORKTREE (and CSM_PORT_BASE when the session has ports) in its environment.

export type ScriptKind = "setup" | "teardown";

export interface ScriptFailure {
  program: string;
  code: number;
  detail: string;
}

/** Runs the script; null when it succeeded, else what failed. */
export async function runProjectScript(
  ctx: Context,
  script: string | string[],
  where: { repo: string; worktree: string },
  extraEnv: Record<string, string> = {},
): Promise<ScriptFailure | null> {
  const argv = Array.isArray(script) ? script : [isAbsolute(script) ? script : resolve(where.worktree, script)];
  const env = { ...(ctx.env as Record<string, string>), ...extraEnv, CSM_REPO: where.repo, CSM_WORKTREE: where.worktree };
  let result;
  try {
    result = await ctx.host.run(argv, { cwd: where.worktree, env });
  } catch (error) {
    // Not found or not executable: a failure of the script like any other (127 as a shell says).
    if (error instanceof SpawnError) return { program: argv[0]!, code: 127, detail: error.reason };
    throw error;
  }
  if (result.code === 0) return null;
  // The last line is usually the one that says why.
  const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").at(-1) ?? "";
  return { program: argv[0]!, code: result.code, detail };
}

export const describeFailure = (kind: ScriptKind, failure: ScriptFailure) =>
  `${kind} script ${failure.program} failed with exit ${failure.code}${failure.detail ? `: ${failure.detail}` : ""}`;

export const scriptFailedError = (kind: ScriptKind, failure: ScriptFailure, advice = "") =>
  new CsmError(kind === "setup" ? "SetupScriptFailed" : "TeardownScriptFailed", `${describeFailure(kind, failure)}${advice}`, {
    data: { code: failure.code },
  });
