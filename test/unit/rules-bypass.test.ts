import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolRule } from "../../src/config/schema.ts";
import { runsOtherCommands } from "../../src/core/rules/command-runners.ts";
import { evaluateRules } from "../../src/core/rules/index.ts";

// Attempts to get a hidden command past a broad allow rule. Every row is run twice: under
// real bash in a throwaway directory, to prove it really would run the hidden command (it
// touches `canary`), and through csm, which must not allow it.

const allow = (...patterns: string[]): ToolRule[] => patterns.map((pattern) => ({ tool: "Bash", pattern, action: "allow" }));
const decide = (rules: ToolRule[], command: string) => evaluateRules(rules, { toolName: "Bash", input: { command }, worktree: "/w" });

// A `git` in the working directory, for attempts that change where commands are found.
const FAKE_GIT = "printf '#!/bin/sh\\n/usr/bin/touch canary\\n' > git && chmod +x git";

// ${…} operators, arithmetic and subscripts: the splitter refuses them, so csm asks.
const EXPANSIONS: [command: string, rules: ToolRule[], reason: RegExp, setup?: string][] = [
  ["git status ${y:=\\$(touch canary)} ${y@P}", allow("git *"), /transformation|default/],
  ['git status "${y:=\\$(touch canary)}" "${y@P}"', allow("git *"), /default/],
  ["git status ${y:=a[\\$(touch canary)]} ${a[y]}", allow("git *"), /default|subscript/],
  ["git status ${y:=a[\\$(touch canary)]} ${!y}", allow("git *"), /default|indirection/],
  ["git status ${y:=a[\\$(touch canary)]} $((y))", allow("git *"), /default|arithmetic/],
  ["git status ${y:=a[\\$(touch canary)]}; b[y]=1", allow("git *", "b*"), /default|array element/],
  ["echo ${y:=\\$(touch canary)} ${y@P}", allow("echo *"), /default/],
  ["echo ${x:-$(touch canary)}", allow("echo *"), /default/],
  ['git status <<<"${y:=\\$(touch canary)}${y@P}"', allow("git *"), /default/],
  ["cat <<EOF\n${y:=\\$(touch canary)}${y@P}\nEOF", allow("cat *"), /here-documents with an unquoted delimiter/],
  ["cat <<EOF\n$(touch canary)\nEOF", allow("cat *"), /here-documents with an unquoted delimiter/],
  ["for PATH in .; do git status; done", allow("git *"), /sets PATH/, FAKE_GIT],
];

// Commands that run other commands: csm splits them, but an allow rule must not decide
// them (command-runners.ts); `setup` runs first in the sandbox repository.
const RUNNERS: [command: string, rules: ToolRule[], reason: RegExp, setup?: string][] = [
  ["git -c alias.x='!touch canary' x", allow("git *"), /git -c sets configuration/],
  ["git -c core.fsmonitor='touch canary; false' status", allow("git *"), /git -c/],
  ["git config core.fsmonitor 'touch canary; false'; git status", allow("git *"), /git config with a value/],
  ["for x in -c; do git $x 'alias.y=!touch canary' y; done", allow("git *"), /\$x of git is only known/],
  ["git log -1 --output=canary", allow("git *"), /--output writes a file/],
  ["git format-patch -1 -o canary", allow("git *"), /format-patch -o writes/],
  ["git archive -o canary HEAD", allow("git *"), /archive -o writes/],
  ["git ls-remote --upload-pack='touch canary #' .", allow("git *"), /--upload-pack runs/],
  ["git fetch -q --upload-pack='touch canary #' .", allow("git *"), /--upload-pack runs/],
  ["git rebase -q --autostash --exec 'touch canary' HEAD~1", allow("git *"), /--exec runs/],
  ["git bisect start HEAD HEAD~1 && git bisect run touch canary", allow("git *"), /bisect run/],
  ["git difftool -y -x 'touch canary #'", allow("git *"), /difftool runs/],
  // A prefix keeps `git *` from matching at all; a rule written for prefixes must not allow these.
  ["GIT_EXTERNAL_DIFF='touch canary #' git diff", allow("*git *"), /sets GIT_EXTERNAL_DIFF/],
  ["GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor GIT_CONFIG_VALUE_0='touch canary; false' git status", allow("*git *"), /sets GIT_CONFIG_COUNT/],
  ["PATH=.:$PATH git status", allow("*git *"), /sets PATH/, FAKE_GIT],
  ["read PATH <<< .; git status", allow("read *", "git *"), /read PATH/, FAKE_GIT],
  ["find . -maxdepth 0 -exec touch canary \\;", allow("find *"), /find -exec runs/],
  ["find . -maxdepth 0 -fprint canary", allow("find *"), /find -fprint writes/],
  ["echo canary | xargs touch", allow("echo *", "xargs *"), /xargs runs/],
  ["env touch canary", allow("env *"), /env runs/],
  ["timeout 5 touch canary", allow("timeout *"), /timeout runs/],
  ["command touch canary", allow("command *"), /command runs/],
  ["bash -c 'touch canary'", allow("bash *"), /bash runs shell code/],
  ["awk 'BEGIN{system(\"touch canary\")}'", allow("awk *"), /system\(\)/],
  ["awk 'BEGIN{print \"\" > \"canary\"}'", allow("awk *"), /writes to a file/],
  ["awk 'BEGIN{\"touch canary\" | getline}'", allow("awk *"), /pipes/],
  ["sed -n '1e touch canary' f", allow("sed *"), /sed e runs/],
  ["sed -n 'w canary' f", allow("sed *"), /sed w writes/],
  ["sed 's/.*/touch canary/e' f", allow("sed *"), /s\/\/\/e runs/],
  ["perl -e 'open(F, \">canary\")'", allow("perl *"), /perl -e runs code/],
  ["python3 -c 'open(\"canary\", \"w\")'", allow("python3 *"), /python3 -c runs code/],
  ["echo 'open(\"canary\", \"w\")' | python3", allow("echo *", "python3*"), /standard input/],
  ["bun -e 'require(\"fs\").writeFileSync(\"canary\", \"\")'", allow("bun *"), /bun -e runs code/],
  ["tar -cf /dev/null --checkpoint=1 --checkpoint-action=exec='touch canary' f", allow("tar *"), /--checkpoint-action runs/],
  ["test -v 'a[$(touch canary)]'", allow("test *"), /test -v evaluates an array subscript/],
  ["[ -v 'a[$(touch canary)]' ]", allow("[ *"), /\[ -v/],
  ["printf -v 'a[$(touch canary)]' x", allow("printf *"), /printf -v a\[/],
  ["read 'a[$(touch canary)]' <<< x", allow("read *"), /read a\[/],
  ["declare -n r='a[$(touch canary)]'; echo $r", allow("declare *", "echo *"), /declare -n/],
  ["declare -i x='a[$(touch canary)]'", allow("declare *"), /declare -i/],
  ["let 'a[$(touch canary)]'", allow("let *"), /let evaluates arithmetic/],
  ["mapfile -C 'touch canary' -c 1 arr <<< a", allow("mapfile *"), /mapfile -C runs/],
  ["hash -p /usr/bin/touch ls; ls canary", allow("hash *", "ls *"), /hash -p/],
  ["trap 'touch canary' EXIT", allow("trap *"), /trap sets a command/],
  ["exec touch canary", allow("exec *"), /exec runs/],
  ["printf 'touch canary\\n%.0s' {1..3000} | sort -S 1K --compress-program=sh", allow("printf *", "sort *"), /--compress-program runs/],
  ["printf x > f; split --filter='touch canary' f", allow("printf *", "split *"), /--filter runs/],
  ["sleep 0 & wait -n -p 'a[$(touch canary)]'", allow("sleep *", "wait *"), /wait -p a\[/],
  // --shallow-file takes the next word as its value: `status` is no subcommand here.
  ["git --shallow-file status -c alias.x='!touch canary' x", allow("git *"), /git -c sets configuration/],
];

// Where csm once read the line differently from bash (found in review): a line
// continuation inside `$(` or `<<-`, and `\"` inside backticks inside double quotes.
const MISREAD: [command: string, rules: ToolRule[]][] = [
  ['echo "$\\\n(touch canary)"', allow("echo *")],
  ["echo $\\\n(touch canary)", allow("echo *")],
  ['git commit -qm "$(cat <<\\\n-EOF\n\tEOF\ntouch canary\n-EOF\n)"', allow("git commit *")],
  ['echo "`echo \\"\'\\" ; touch canary ; echo \\"\'\\"`"', allow("echo *")],
];

// A deny rule holds however bash lets the command be spelt, even under an allow of everything.
const ALL: ToolRule = { tool: "Bash", action: "allow" };
const denyTouch: ToolRule[] = [{ tool: "Bash", pattern: "touch *", action: "deny" }, ALL];
const DENIED_SPELLINGS: [command: string, rules: ToolRule[]][] = [
  ["X=1 touch canary", denyTouch],
  ["</dev/null touch canary", denyTouch],
  ["/usr/bin/touch canary", denyTouch],
  ["env touch canary", denyTouch],
  ["env -i PATH=/usr/bin touch canary", denyTouch],
  ["nohup touch canary", denyTouch],
  ["timeout 5 touch canary", denyTouch],
  ["command touch canary", denyTouch],
  ["nice -n 1 touch canary", denyTouch],
  ["echo canary | xargs touch", denyTouch],
  ["git -c alias.t='!touch canary' t", [{ tool: "Bash", pattern: "git t*", action: "deny" }, ALL]],
  ["git 't' || git -C . --no-pager 't'", [{ tool: "Bash", pattern: "git t", action: "deny" }, ALL]],
];

// Data that looks like commands: bash runs nothing, and csm allows it by the rule.
const DATA: [command: string, rules: ToolRule[]][] = [
  ["cat <<'EOF'\n$(touch canary) `touch canary`\nEOF", allow("cat *")],
  ['cat <<"EOF"\n$(touch canary)\nEOF', allow("cat *")],
  ["cat <<\\EOF\n$(touch canary)\nEOF", allow("cat *")],
  ["git commit -qm \"$(cat <<'EOF'\nFix it; $(touch canary)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nEOF\n)\"", allow("git commit *")],
  ["git add f && git commit -qm \"$(cat <<'EOF'\n`touch canary`\nEOF\n)\"", allow("git add *", "git commit *")],
  ["git commit -qaF - <<'EOF'\n$(touch canary)\nEOF", allow("git commit *")],
  ["echo '$(touch canary)' ${HOME} $1", allow("echo *")],
  ["echo $'$(touch canary)'", allow("echo *")],
];

const canAlsoRun = (command: string) => !/\b(perl|python3)\b/.test(command) || Bun.which(command.match(/\b(perl|python3)\b/)![1]!) !== null;

describe("bypass attempts run under bash, and csm asks", () => {
  for (const [command, rules, reason, setup] of EXPANSIONS) {
    test(JSON.stringify(command), () => {
      expect(canaryAppears(command, setup)).toBe(true);
      const decision = decide(rules, command);
      expect(decision.action).toBe("ask");
      expect(decision.reason).toMatch(reason);
    });
  }
});

describe("commands that run other commands run under bash, and no allow rule decides them", () => {
  // Some rows run many processes (`sort --compress-program=sh` starts a shell per chunk):
  // on a loaded machine that nears bun's 5 s default.
  for (const [command, rules, reason, setup] of RUNNERS) {
    test.skipIf(!canAlsoRun(command))(JSON.stringify(command), () => {
      expect(canaryAppears(command, setup)).toBe(true);
      const decision = decide(rules, command);
      expect(decision.action).not.toBe("deny");
      const risks = decision.parts.map((part) => runsOtherCommands(part.subject));
      expect(risks.find((risk) => risk !== null) ?? "no part is risky").toMatch(reason);
    }, 15_000);
  }

  // evaluate.ts consults allowRisk for every Bash part an allow rule would settle.
  for (const [command, rules] of RUNNERS) {
    test(`evaluateRules asks for ${JSON.stringify(command)}`, () => {
      expect(decide(rules, command).action).toBe("ask");
    });
  }
});

describe("commands csm once read differently from bash: bash runs the hidden command, csm does not allow it", () => {
  for (const [command, rules] of MISREAD) {
    test(JSON.stringify(command), () => {
      expect(canaryAppears(command)).toBe(true);
      expect(decide(rules, command).action).toBe("ask");
    });
  }
});

describe("a deny rule holds for every spelling bash runs as the denied command", () => {
  for (const [command, rules] of DENIED_SPELLINGS) {
    test(JSON.stringify(command), () => {
      expect(canaryAppears(command, command.includes("git") ? "git config alias.t '!touch canary'" : "")).toBe(true);
      expect(decide(rules, command).action).toBe("deny");
    });
  }
});

describe("here-documents and quoted text are data: bash runs nothing, csm allows", () => {
  for (const [command, rules] of DATA) {
    test(JSON.stringify(command), () => {
      expect(canaryAppears(command)).toBe(false);
      expect(decide(rules, command).action).toBe("allow");
      for (const part of decide(rules, command).parts) expect(runsOtherCommands(part.subject)).toBeNull();
    });
  }
});

// A repository with two commits and an uncommitted change, so that git commands that
// diff, rebase or bisect have something to work on.
const REPO_SETUP = [
  "git init -q -b main",
  "git config user.email t@example.com",
  "git config user.name t",
  "echo a > f && git add f && git commit -qm one",
  "echo b > f && git commit -qam two",
  "echo c > f",
].join(" && ");

/** Runs `command` under bash in a throwaway repository (HOME inside it too); did it create `canary`? */
function canaryAppears(command: string, setup = ""): boolean {
  const root = mkdtempSync(join(tmpdir(), "csm-bypass-"));
  try {
    const home = join(root, "home");
    const work = join(root, "work");
    mkdirSync(home);
    mkdirSync(work);
    const env = { HOME: home, PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C", GIT_CONFIG_NOSYSTEM: "1" };
    const options = { cwd: work, env, stdin: "ignore", stdout: "ignore", stderr: "ignore", timeout: 10_000 } as const;
    const prepared = Bun.spawnSync(["bash", "-c", setup ? `${REPO_SETUP} && ${setup}` : REPO_SETUP], options);
    if (prepared.exitCode !== 0) throw new Error(`sandbox setup failed: ${setup}`);
    Bun.spawnSync(["bash", "-c", command], options);
    return existsSync(join(work, "canary"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
