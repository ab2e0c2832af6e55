// The per-session `--settings` file that gives claude csm's PreToolUse hook. It is csm's
// own file under its state dir: the user's ~/.claude/settings.json is never touched, and
// claude merges the hooks of every settings source, so the user's own hooks still run.
//
// The secret is not in the file: claude fills the header from the variable named here,
// which only claude's own environment holds. `onFailure: "block"` makes a hook that
// cannot be reached (its server gone, a refused body) block the tool call instead of
// letting it through unchecked.

/** claude's hook timeout, in seconds: the hook answers from the rules, at once. */
const HOOK_TIMEOUT_S = 30;

export function preToolUseHookSettings(url: string, secretVariable: string): Record<string, unknown> {
  const hook = {
    type: "http",
    url,
    timeout: HOOK_TIMEOUT_S,
    onFailure: "block",
    headers: { Authorization: `Bearer $${secretVariable}` },
    allowedEnvVars: [secretVariable],
  };
  // A user's `disableAllHooks: true` would switch csm's hook off too; flag settings (this
  // file) take precedence over the user's, so saying false here keeps deny rules in force.
  return { disableAllHooks: false, hooks: { PreToolUse: [{ matcher: "*", hooks: [hook] }] } };
}

/** The variable through which a bridge hands its hook secret to claude. */
export const BRIDGE_HOOK_SECRET_VARIABLE = "CSM_HOOK_SECRET";

/**
 * The file's content: the user's own `--settings` (from claudeArgs, in order, later keys
 * winning as claude would) with csm's hooks added to theirs, never replacing them.
 */
export function composeSettings(user: readonly Record<string, unknown>[], csm: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const hooks: Record<string, unknown[]> = {};
  for (const source of [...user, csm]) {
    for (const [key, value] of Object.entries(source)) {
      if (key === "__proto__") continue;
      if (key !== "hooks") merged[key] = value;
      else if (typeof value === "object" && value !== null) {
        for (const [event, matchers] of Object.entries(value)) hooks[event] = [...(hooks[event] ?? []), ...(Array.isArray(matchers) ? matchers : [])];
      }
    }
  }
  return { ...merged, hooks };
}

/** A `--settings` value is a JSON object or the path of a file holding one (relative to claude's cwd). */
export function parseUserSettings(value: string, readFile: (path: string) => string, cwd: string): Record<string, unknown> {
  const text = value.trimStart().startsWith("{") ? value : readFile(value.startsWith("/") ? value : `${cwd}/${value}`);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`--settings ${value} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
