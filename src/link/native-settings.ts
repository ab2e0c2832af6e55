import { shellQuote } from "../host/remote-command.ts";

// The per-session `--settings` file of a native session: claude's hooks, every one an HTTP
// hook to the session's own supervisor (link/native.ts), and a statusLine that keeps a copy of
// claude's status input, the one place claude states its own total cost. Like the bridge's
// file (hook-settings.ts) it is csm's own, under its state dir, merged with the user's
// --settings: the user's ~/.claude/settings.json is never touched.

/** Where a session's statusLine keeps claude's status input, beside its settings file (`NAME.json` → `NAME.status.json`). */
export const statusCopyOf = (settingsFile: string) => `${settingsFile.replace(/\.json$/, "")}.status.json`;

/** A person has no time limit: the PermissionRequest hook stays open while the request waits (a week). */
const PERMISSION_TIMEOUT_S = 7 * 24 * 3600;
/** Every other hook is answered at once. */
const HOOK_TIMEOUT_S = 30;

/** Hooks that only report: what claude does, for the live state. */
const REPORTING_EVENTS = ["UserPromptSubmit", "PostToolUse", "PostToolUseFailure", "Stop", "SessionEnd", "Notification"];

export function nativeHookSettings(url: string, secretVariable: string, statusLine: { copyTo: string; userCommand: string | null }): Record<string, unknown> {
  const hook = (timeout: number, extra: Record<string, unknown> = {}) => ({
    type: "http",
    url,
    timeout,
    headers: { Authorization: `Bearer $${secretVariable}` },
    allowedEnvVars: [secretVariable],
    ...extra,
  });
  const hooks: Record<string, unknown[]> = {
    // Deny rules hold before any tool runs; an unreachable supervisor blocks the call.
    PreToolUse: [{ matcher: "*", hooks: [hook(HOOK_TIMEOUT_S, { onFailure: "block" })] }],
    // An unreachable supervisor leaves the dialog on claude's screen, for the person.
    PermissionRequest: [{ matcher: "*", hooks: [hook(PERMISSION_TIMEOUT_S)] }],
  };
  for (const event of REPORTING_EVENTS) hooks[event] = [{ hooks: [hook(HOOK_TIMEOUT_S)] }];
  return { disableAllHooks: false, hooks, statusLine: { type: "command", command: statusLineCommand(statusLine.copyTo, statusLine.userCommand) } };
}

/**
 * claude runs the statusLine command with a shell. csm's keeps the input in `copyTo`; a
 * status line the user set up still shows, fed the same input.
 */
export function statusLineCommand(copyTo: string, userCommand: string | null): string {
  const target = shellQuote(copyTo);
  return userCommand ? `tee ${target} | { ${userCommand}\n}` : `cat > ${target}`;
}

/** The statusLine command the user configured (their --settings, else claude's own settings file), or null. */
export function userStatusLineCommand(sources: readonly Record<string, unknown>[]): string | null {
  for (const source of [...sources].reverse()) {
    const statusLine = source.statusLine as { type?: unknown; command?: unknown } | undefined;
    if (statusLine && typeof statusLine.command === "string" && statusLine.command.trim() !== "") return statusLine.command;
  }
  return null;
}
