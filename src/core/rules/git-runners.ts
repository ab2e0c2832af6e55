import { type Arg, type OptionRisks, optionRisk, unknownArg } from "./command-args.ts";

// When `git …` runs something other than git, or writes outside the repository, so that
// a broad allow such as `git *` does not cover it: configuration given on the command
// line (`-c alias.x='!cmd'`, `-c core.pager=…`, `--config-env`), another repository or
// helper directory, aliases (any subcommand that is not a built-in may be one), options
// that name a program (`--upload-pack`, `rebase --exec`, `difftool`, `grep -O`), options
// that write a file (`--output`, `format-patch -o`, `archive -o`), and `git config` writes.
// What the repository's own configuration and hooks do is left to git: csm cannot see it.

const BUILTINS = new Set(
  (
    "add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap " +
    "check-ref-format checkout checkout-index cherry cherry-pick clean clone commit commit-graph commit-tree config " +
    "count-objects describe diff diff-files diff-index diff-tree fetch for-each-ref format-patch fsck gc grep " +
    "hash-object help init log ls-files ls-remote ls-tree maintenance merge merge-base merge-file merge-tree mktree " +
    "mv name-rev notes prune pull push range-diff read-tree rebase reflog remote repack replace reset restore " +
    "rev-list rev-parse revert rm shortlog show show-branch show-ref sparse-checkout stash status submodule switch " +
    "symbolic-ref tag update-index update-ref var verify-commit verify-pack verify-tag version whatchanged worktree write-tree"
  ).split(" "),
);

const ALWAYS: Record<string, string> = {
  difftool: "runs an external diff program",
  mergetool: "runs an external merge program",
  "filter-branch": "runs the shell commands it is given",
  instaweb: "starts a web server and a browser",
};

const RUNS = "runs the program it is given";
const WRITES = "writes a file wherever it is told";
// Options that take the log/diff machinery's `--output=<file>`.
const DIFF_FAMILY = "diff diff-files diff-index diff-tree log show whatchanged reflog format-patch shortlog stash range-diff rev-list bisect";
const OUTPUT: OptionRisks = { long: { "--output": WRITES } };

const SUBCOMMAND_RISKS: Record<string, OptionRisks> = {
  ...Object.fromEntries(DIFF_FAMILY.split(" ").map((name) => [name, OUTPUT])),
  "format-patch": { long: { "--output": WRITES, "--output-directory": WRITES }, short: { o: WRITES } },
  grep: { long: { "--open-files-in-pager": RUNS }, short: { O: RUNS } },
  fetch: { long: { "--upload-pack": RUNS } },
  pull: { long: { "--upload-pack": RUNS } },
  "ls-remote": { long: { "--upload-pack": RUNS }, short: { u: RUNS } },
  clone: {
    long: { "--upload-pack": RUNS, "--template": "installs hooks from a directory", "--config": "sets configuration, which can run programs" },
    short: { u: RUNS, c: "sets configuration, which can run programs" },
  },
  init: { long: { "--template": "installs hooks from a directory" } },
  push: { long: { "--receive-pack": RUNS, "--exec": RUNS } },
  rebase: { long: { "--exec": "runs the shell command it is given" }, short: { x: "runs the shell command it is given" } },
  archive: { long: { "--output": WRITES, "--exec": RUNS, "--remote": "runs a program to reach a remote" }, short: { o: WRITES } },
};

// `git config NAME` and these options only read; anything else may set a value, and
// configuration such as core.pager or alias.* runs programs.
const CONFIG_READS = new Set(["--get", "--get-all", "--get-regexp", "--get-urlmatch", "--get-color", "--get-colorbool", "-l", "--list"]);
const CONFIG_FLAGS = new Set([
  "--global", "--system", "--local", "--worktree", "--show-origin", "--show-scope", "-z", "--null", "--name-only",
  "--bool", "--int", "--bool-or-int", "--path", "--expiry-date", "--includes", "--no-includes",
]);
const CONFIG_VALUED = new Set(["-f", "--file", "--blob", "--type", "--default"]);

// git's own options before the subcommand: those that take the next word as their value
// (`--shallow-file status` names a file, it runs no `status`), and those that take none.
// Any other is refused: a git that knows more options than these may read the next word
// as a value, and the word after it as the subcommand.
const GLOBAL_VALUED = new Set(["-C", "--namespace", "--list-cmds", "--super-prefix", "--attr-source", "--shallow-file", "--git-dir", "--work-tree", "--config-env"]);
const GLOBAL_FLAGS = new Set([
  "-p", "--paginate", "-P", "--no-pager", "--bare", "--no-replace-objects", "--no-lazy-fetch", "--no-optional-locks", "--no-advice",
  "--literal-pathspecs", "--glob-pathspecs", "--noglob-pathspecs", "--icase-pathspecs", "--exec-path", "--html-path", "--man-path",
  "--info-path", "-v", "--version", "-h", "--help",
]);

/** Where git's subcommand is among its arguments (their count when there is none); null when a global option is not one git is known to read so. */
export function gitSubcommandIndex(args: readonly { value: string | null }[]): number | null {
  let i = 0;
  for (; i < args.length; i++) {
    const value = args[i]!.value;
    if (value === null) return null;
    if (!value.startsWith("-")) break;
    const name = value.split("=")[0]!;
    if (value === "-c" || (GLOBAL_VALUED.has(name) && !value.includes("="))) i++;
    else if (!GLOBAL_VALUED.has(name) && !GLOBAL_FLAGS.has(name)) return null;
  }
  return i;
}

/** Why this `git` command line may run another program or write elsewhere; null when it does not. */
export function gitRisk(args: readonly Arg[]): string | null {
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.value === null) return unknownArg(arg, "git");
    if (!arg.value.startsWith("-")) break;
    const risk = globalOptionRisk(arg.value);
    if (risk) return risk;
    const name = arg.value.split("=")[0]!;
    if (!GLOBAL_VALUED.has(name) && !GLOBAL_FLAGS.has(name)) return `git ${name} is a global option csm does not know, which may take the next word as its value`;
    if (GLOBAL_VALUED.has(name) && !arg.value.includes("=")) {
      const operand = args[++i];
      if (operand?.splits) return unknownArg(operand, "git");
    }
  }
  const sub = args[i]?.value;
  if (sub === undefined || sub === null) return null;
  if (ALWAYS[sub]) return `git ${sub} ${ALWAYS[sub]}`;
  if (!BUILTINS.has(sub)) return `git ${sub} is not a built-in git command, so it may be an alias, which can run anything`;
  const rest = args.slice(i + 1);
  const action = rest[0]?.value;
  if (sub === "config") return configRisk(rest);
  if (sub === "bisect" && action === "run") return "git bisect run runs the command it is given";
  if (sub === "submodule" && rest.some((arg) => arg.value === "foreach")) return "git submodule foreach runs the command it is given";
  if (sub === "bundle" && action === "create") return `git bundle create ${WRITES}`;
  const risks = SUBCOMMAND_RISKS[sub];
  if (!risks) return null;
  for (const arg of rest) {
    if (arg.value === "--") return null;
    const risk = optionRisk(`git ${sub}`, arg, risks);
    if (risk) return risk;
  }
  return null;
}

function globalOptionRisk(option: string): string | null {
  if (option === "-c" || option.startsWith("--config-env")) return `git ${option.startsWith("-c") ? "-c" : "--config-env"} sets configuration, which can run programs (aliases, core.pager, core.fsmonitor…)`;
  if (option.startsWith("--exec-path=")) return "git --exec-path= makes git run its helper programs from another directory";
  if (option.startsWith("--git-dir") || option.startsWith("--work-tree")) {
    return `git ${option.split("=")[0]} points git at another repository, whose configuration can run programs`;
  }
  return null;
}

function configRisk(args: readonly Arg[]): string | null {
  const positionals: string[] = [];
  let reads = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.value === null) return unknownArg(arg, "git config");
    const option = arg.value.split("=")[0]!;
    if (CONFIG_READS.has(option)) reads = true;
    else if (CONFIG_VALUED.has(option)) i += arg.value.includes("=") ? 0 : 1;
    else if (option.startsWith("--type=") || CONFIG_FLAGS.has(option)) continue;
    else if (option.startsWith("-")) return `git config ${option} may change configuration, which can make git run programs`;
    else positionals.push(arg.value);
  }
  const subcommandRead = positionals[0] === "get" || positionals[0] === "list";
  if (reads || subcommandRead || positionals.length <= 1) return null;
  return "git config with a value sets configuration, which can make git run programs";
}
