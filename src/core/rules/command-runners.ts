import { assignedName, type BashWord } from "./bash-command.ts";
import { partWords } from "./bash-split.ts";
import { type Arg, argOf, type OptionRisks, riskyOption } from "./command-args.ts";
import { gitRisk } from "./git-runners.ts";
import { awk, interpreter, sed } from "./script-runners.ts";
import { BUILTINS, type Check } from "./shell-builtins.ts";
import { variableRisk } from "./shell-variables.ts";

// Commands that run other commands. A broad allow such as `find *`, `xargs *` or `git *`
// is meant for the command itself, not for whatever it can be told to run: `find -exec`,
// `xargs rm`, `git -c alias.x='!cmd' x`, `awk 'BEGIN{system("…")}'`, `PAGER=cmd git log`.
// runsOtherCommands looks at one part of a split Bash command (see bash-split.ts) and says
// why it may run something its text does not show; the rule engine then asks a person
// instead of allowing it. Deny and ask rules still match such parts as usual.
//
// The table is data: a command name (its last path segment) and a check of its arguments.
// An argument whose value is only known at run time (`$x`, `$(…)`, a glob) counts as risky
// for the commands listed, since it could turn out to be `-exec`.

const RUNS = "runs the command it is given";
const always = (what: string): Check => (_args, name) => `${name} ${what}`;
const options = (risks: OptionRisks): Check => (args, name) => riskyOption(name, args, risks);
const unlessNoArgs = (what: string): Check => (args, name) => (args.length === 0 ? null : `${name} ${what}`);

const SHELLS = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "csh", "tcsh", "busybox"];
const WRAPPERS = [
  "xargs", "nohup", "timeout", "nice", "ionice", "stdbuf", "taskset", "chrt", "setsid", "chroot", "unshare", "nsenter",
  "flock", "strace", "ltrace", "watch", "parallel", "entr", "script", "systemd-run", "time", "gdb", "valgrind",
];
const AS_ANOTHER_USER = ["sudo", "doas", "su", "pkexec", "runuser"];
const EDITORS = ["vi", "vim", "nvim", "view", "ex", "vimdiff", "gvim", "emacs", "nano"];

const PROGRAMS: Record<string, Check> = {
  ...Object.fromEntries(SHELLS.map((name) => [name, always("runs shell code")])),
  ...Object.fromEntries(WRAPPERS.map((name) => [name, always(RUNS)])),
  ...Object.fromEntries(AS_ANOTHER_USER.map((name) => [name, always("runs a command as another user")])),
  ...Object.fromEntries(EDITORS.map((name) => [name, always("is an editor, which can run shell commands")])),
  env: unlessNoArgs(RUNS),
  ssh: always("runs commands on another machine, and ProxyCommand on this one"),
  git: (args) => gitRisk(args),
  find: options({
    words: {
      "-exec": RUNS, "-execdir": RUNS, "-ok": RUNS, "-okdir": RUNS, "-delete": "deletes files",
      "-fprint": "writes a file", "-fprint0": "writes a file", "-fprintf": "writes a file", "-fls": "writes a file",
    },
  }),
  fd: options({ long: { "--exec": RUNS, "--exec-batch": RUNS }, short: { x: RUNS, X: RUNS } }),
  fdfind: options({ long: { "--exec": RUNS, "--exec-batch": RUNS }, short: { x: RUNS, X: RUNS } }),
  tar: (args, name) => tarRisk(args, name),
  sort: options({ long: { "--compress-program": RUNS, "--output": "writes a file" }, short: { o: "writes a file" } }),
  split: options({ long: { "--filter": "runs the shell command it is given" } }),
  rg: options({ long: { "--pre": RUNS } }),
  rsync: options({ long: { "--rsh": "runs the remote shell it is given", "--rsync-path": "runs the program it is given" }, short: { e: "runs the remote shell it is given" } }),
  scp: options({ short: { o: "sets ssh options such as ProxyCommand", S: "runs the program it is given", F: "reads an ssh configuration" } }),
  sftp: options({ short: { o: "sets ssh options such as ProxyCommand", S: "runs the program it is given", F: "reads an ssh configuration" } }),
  less: (args, name) => (args.some((arg) => arg.value === null || arg.value.startsWith("+")) ? `${name} +… runs less commands, which can run shell commands` : null),
  man: options({ long: { "--pager": "runs the pager it is given", "--html": "runs the browser it is given" }, short: { P: "runs the pager it is given", H: "runs the browser it is given" } }),
  awk, gawk: awk, mawk: awk, nawk: awk,
  sed, gsed: sed,
  python: interpreter({ inline: ["-c"], valued: ["-W", "-X"], program: ["-m"] }),
  python3: interpreter({ inline: ["-c"], valued: ["-W", "-X"], program: ["-m"] }),
  python2: interpreter({ inline: ["-c"], valued: ["-W", "-X"], program: ["-m"] }),
  pypy3: interpreter({ inline: ["-c"], valued: ["-W", "-X"], program: ["-m"] }),
  perl: interpreter({ inline: ["-e", "-E", "-M", "-m"], valued: ["-I"] }),
  ruby: interpreter({ inline: ["-e"], valued: ["-r", "-I", "-C", "-E"] }),
  php: interpreter({ inline: ["-r", "-a", "-B", "-R", "-F", "-E"], valued: ["-c", "-d", "-z", "-t"], program: ["-f"] }),
  lua: interpreter({ inline: ["-e"], valued: ["-l"] }),
  node: interpreter({
    inline: ["-e", "--eval", "-p", "--print", "-i", "--interactive"],
    valued: ["-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions", "--input-type", "--env-file", "--title"],
  }),
  bun: interpreter({ inline: ["-e", "--eval", "-p", "--print"], stdin: false }),
  deno: (args, name) => (args[0]?.value === "eval" || args[0]?.value === "repl" ? `${name} ${args[0].value} runs code given on its command line` : null),
  Rscript: interpreter({ inline: ["-e"], stdin: false }),
  osascript: interpreter({ inline: ["-e"] }),
  npx: options({ long: { "--call": "runs the shell command it is given", "--node-options": "sets options for node" }, short: { c: "runs the shell command it is given" } }),
  npm: options({ long: { "--call": "runs the shell command it is given", "--script-shell": "runs scripts with the program it is given", "--node-options": "sets options for node" } }),
};

const WRITE_PART = /^(?:>|>>|<>) /;

/**
 * Why this part of a Bash command may run a command that its text does not show (or
 * change what later commands run), so an allow rule should not decide it; null when it
 * does not. `part` is one of splitBashCommand's commands.
 */
export function runsOtherCommands(part: string): string | null {
  if (WRITE_PART.test(part)) return null;
  const words = partWords(part);
  if (words === null) return "csm could not read this part again to check what it runs";
  const at = words.findIndex((word) => assignedName(word) === null);
  for (const assignment of at === -1 ? words : words.slice(0, at)) {
    const risk = variableRisk(assignedName(assignment)!, assignedValue(assignment));
    if (risk) return risk;
  }
  if (at === -1) return null;
  const name = words[at]!.literal.split("/").pop()!;
  const check = BUILTINS[name] ?? PROGRAMS[name];
  return check ? check(words.slice(at + 1).map(argOf), name) : null;
}

/**
 * Why an allow rule with `pattern` should not decide the Bash part `part` on its own; null
 * when it may. A rule without a pattern allows every input, unparseable ones included; one
 * that spells the whole command out (no `*`), matched against a part without expansions or
 * globs, allows exactly what a person read (as `--always` writes them). Only rules that
 * allow more than that are checked for commands that run other commands.
 */
export function allowRisk(pattern: string | undefined, part: string): string | null {
  if (pattern === undefined) return null;
  if (!hasWildcard(pattern) && !/[$`*?[]/.test(part)) return null;
  return runsOtherCommands(part);
}

function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "*") return true;
  }
  return false;
}

function assignedValue(word: BashWord): string | null {
  return word.dynamic ? null : word.literal.slice(word.literal.indexOf("=") + 1);
}

// tar runs programs to (de)compress, at checkpoints, for each file, and to reach an
// archive named `host:path` (rsh or ssh), unless --force-local says the name is a file.
const TAR_RISKS: OptionRisks = {
  long: Object.fromEntries(
    ["--to-command", "--checkpoint-action", "--use-compress-program", "--rsh-command", "--rmt-command", "--info-script", "--new-volume-script"].map(
      (option) => [option, "runs the program it is given"],
    ),
  ),
  short: { I: "runs the program it is given", F: "runs the script it is given" },
};

function tarRisk(args: readonly Arg[], name: string): string | null {
  // Old-style `tar xIf …`: the first word is a bundle of options without a dash.
  const first = args[0];
  const bundled = first?.value && /^[A-Za-z]+$/.test(first.value) ? [{ ...first, value: `-${first.value}` }, ...args.slice(1)] : args;
  const risk = riskyOption(name, bundled, TAR_RISKS);
  if (risk) return risk;
  if (args.some((arg) => arg.value === "--force-local")) return null;
  const remote = args.find((arg) => arg.value !== null && !arg.value.startsWith("-") && /^[^/]*:/.test(arg.value));
  return remote ? `${name} reaches the archive ${remote.value} by running a remote shell` : null;
}
