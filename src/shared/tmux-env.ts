/**
 * An environment without $TMUX/$TMUX_PANE. tmux without -L follows $TMUX to whatever
 * server the calling terminal is in; csm's own calls, its detached hub and a nested
 * attach must not.
 */
export function withoutTmuxVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && key !== "TMUX" && key !== "TMUX_PANE") result[key] = value;
  return result;
}
