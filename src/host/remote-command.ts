// The one place where an argv becomes a shell string. SSH has no argv: the server hands
// a single string to the user's login shell (`$SHELL -c STRING`), so every remote
// command csm runs is built here and nowhere else. The output is POSIX sh; it also holds
// for bash, dash, zsh and ksh. A login shell of fish or csh is not supported.

export interface RemoteCommandOptions {
  /** Directory to run in; a relative one is taken from the login directory (the remote home). */
  cwd?: string;
  /** Variables exported to the program on top of the login environment. */
  env?: Record<string, string>;
}

/** Thrown for an argv, cwd or environment that no shell string can carry faithfully. */
export class RemoteCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteCommandError";
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuseNul(value: string, what: string): void {
  // A C string ends at NUL: the remote process would silently receive a truncated value.
  if (value.includes("\0")) throw new RemoteCommandError(`${what} contains a NUL byte, which no command line can carry: ${JSON.stringify(value)}`);
}

/**
 * One shell word that stands for exactly `value`. Inside single quotes nothing is special
 * except the quote itself, which is closed, escaped and reopened: ' → '\''.
 */
export function shellQuote(value: string): string {
  refuseNul(value, "an argument");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The program as one shell word. A program under the remote home (`~/bin/csm`, as a
 * config's csmPath may say) is `"$HOME"/'bin/csm'`: the login shell supplies its own home,
 * and the rest stays quoted. Every other program, and every argument, is literal.
 */
function programWord(program: string): string {
  return program.startsWith("~/") ? `"$HOME"/${shellQuote(program.slice(2))}` : shellQuote(program);
}

/**
 * The shell string that runs `argv` (no shell features: every element is one literal
 * argument) in `cwd` with `env` exported. The program is `exec`ed so that it replaces
 * the shell: signals and the exit status reach and come from the program itself.
 */
export function remoteCommand(argv: readonly string[], options: RemoteCommandOptions = {}): string {
  const [program] = argv;
  if (program === undefined || program === "") throw new RemoteCommandError("the command is empty: argv needs at least a program name");
  // `exec -- prog` is not portable (dash looks for a program named `--`), so a program
  // name that looks like an option cannot be passed to exec safely.
  if (program.startsWith("-")) throw new RemoteCommandError(`the program name ${JSON.stringify(program)} starts with "-"; give a path such as ./${program}`);
  argv.forEach((arg, index) => refuseNul(arg, `argument ${index}`));

  const parts: string[] = [];
  const env = Object.entries(options.env ?? {});
  if (env.length > 0) {
    for (const [name, value] of env) {
      if (!ENV_NAME.test(name)) throw new RemoteCommandError(`the environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and _, not starting with a digit`);
      refuseNul(value, `the value of ${name}`);
    }
    parts.push(`export ${env.map(([name, value]) => `${name}=${shellQuote(value)}`).join(" ")};`);
  }
  if (options.cwd !== undefined) {
    if (options.cwd === "") throw new RemoteCommandError("the working directory is empty");
    refuseNul(options.cwd, "the working directory");
    // `./` keeps a relative directory away from CDPATH and from `cd -` (the previous directory).
    const directory = options.cwd.startsWith("/") ? options.cwd : `./${options.cwd}`;
    parts.push(`cd -- ${shellQuote(directory)} &&`);
  }
  parts.push("exec", programWord(program), ...argv.slice(1).map(shellQuote));
  return parts.join(" ");
}
