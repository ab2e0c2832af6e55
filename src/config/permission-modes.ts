// Claude's permission modes that let tools run without asking anyone. csm's approvals
// (rules first, then a person) only see what claude asks, so in these modes they are off
// for much or all of what claude does:
// - bypassPermissions: nothing is asked;
// - acceptEdits: file edits (and simple filesystem commands) are accepted unasked;
// - auto: a classifier decides instead of asking.
// The others ask or refuse: default (`manual` on the command line), plan (read-only),
// dontAsk (denies what is not pre-approved).

export const UNGUARDED_MODES: readonly string[] = ["bypassPermissions", "acceptEdits", "auto"];

/** Whether claude in `mode` runs tools without asking csm; an unknown (null) mode is taken as asking. */
export function skipsAsking(mode: string | null | undefined): boolean {
  return mode != null && UNGUARDED_MODES.includes(mode);
}

export interface SkippingArg {
  /** Index in the argument list of the flag that turns asking off. */
  index: number;
  /** The argument(s) as written, for the message. */
  shown: string;
}

/**
 * The first claude argument that lets tools run without asking, or null. A `--settings`
 * file is not read here (it may change later); claude's own report of its mode, in its
 * init message, is what the session view trusts.
 */
export function findSkippingArg(args: readonly string[]): SkippingArg | null {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const [flag, inline] = splitInline(arg);
    const value = inline ?? args[index + 1];
    const shown = inline !== undefined || value === undefined ? arg : `${arg} ${value}`;
    if (flag === "--dangerously-skip-permissions" || flag === "--allow-dangerously-skip-permissions") return { index, shown: arg };
    if (flag === "--permission-mode" && skipsAsking(value)) return { index, shown };
    if (flag === "--settings" && value !== undefined && skipsAsking(defaultModeIn(value))) return { index, shown: `${flag} with permissions.defaultMode ${defaultModeIn(value)}` };
  }
  return null;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/** `permissions.defaultMode` of a `--settings` value given as JSON text; null for a file path. */
function defaultModeIn(value: string): string | null {
  if (!value.trimStart().startsWith("{")) return null;
  try {
    const mode = (JSON.parse(value) as { permissions?: { defaultMode?: unknown } }).permissions?.defaultMode;
    return typeof mode === "string" ? mode : null;
  } catch {
    return null;
  }
}
