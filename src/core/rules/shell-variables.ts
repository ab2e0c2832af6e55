// Which shell variables a Bash command may set and still be allowed by a rule.
//
// Many variables make programs run other code: PATH, LD_PRELOAD, BASH_ENV, PS4, IFS,
// PAGER, EDITOR, GIT_* (GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND, GIT_CONFIG_*…), NODE_OPTIONS,
// PYTHONSTARTUP… A list of those would never be complete, so this is the other way round:
// a short list of harmless ones, plus ordinary lowercase names (which programs do not read,
// apart from the *_proxy ones and npm's npm_config_*). Setting anything else — as a prefix
// (`PAGER=x git log`), alone (`PATH=…`), or through for/read/export/declare/printf -v —
// makes the part asked even when an allow rule matches it.

const HARMLESS = new Set([
  "TZ", "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "CI", "DEBUG",
  "NODE_ENV", "RUST_BACKTRACE", "RUST_LOG", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
]);
// A locale name with a "/" is read as a path to locale files, which programs then parse.
const LOCALE = /^(?:LANG|LANGUAGE|LC_[A-Z]+)$/;
const LOCALE_VALUE = /^[A-Za-z0-9_.@:-]*$/;
const ORDINARY = /^[a-z_][a-z0-9_]*$/;
const READ_BY_PROGRAMS = /proxy|^(?:npm|yarn|pnpm|bun)_/;

export const HARMLESS_VARIABLES_SHOWN = "lowercase names, LANG, LC_*, TZ, CI, NO_COLOR, FORCE_COLOR, DEBUG, NODE_ENV…";

/** Why setting `name` (to `value`, when known) is not left to an allow rule; null when it is harmless. */
export function variableRisk(name: string, value: string | null = null): string | null {
  const harmless =
    HARMLESS.has(name) ||
    (LOCALE.test(name) && value !== null && LOCALE_VALUE.test(value)) ||
    (ORDINARY.test(name) && !READ_BY_PROGRAMS.test(name));
  if (harmless) return null;
  return `it sets ${name}, which can change what programs run (a rule may only set ${HARMLESS_VARIABLES_SHOWN})`;
}
