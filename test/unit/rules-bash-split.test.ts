import { describe, expect, test } from "bun:test";
import { splitBashCommand } from "../../src/core/rules/bash-split.ts";

// What the splitter turns a command line into: the parts Bash rules are matched against,
// or the reason it will not guess.

const SPLITS: [command: string, parts: string[]][] = [
  ["git status", ["git status"]],
  ["git x; rm -rf ~", ["git x", "rm -rf ~"]],
  ["a && b || c | d |& e & f\ng", ["a", "b", "c", "d", "e", "f", "g"]],
  ["sleep 1 &", ["sleep 1"]],
  ["git status $(rm -rf ~)", ["git status $(...)", "rm -rf ~"]],
  ["echo $(a $(b) c)", ["echo $(...)", "a $(...) c", "b"]],
  ["echo `a \\`b\\` c`", ["echo $(...)", "a $(...) c", "b"]],
  ['echo "x $(rm a) y"', ['echo "x $(...) y"', "rm a"]],
  ["echo '$(rm a)'", ["echo '$(rm a)'"]],
  ['echo "$(echo ")")"', ['echo "$(...)"', 'echo ")"']],
  ["echo ${x:-$(rm y)}", ["echo ${x:-$(...)}", "rm y"]],
  ['echo "${x:-`rm y`}"', ['echo "${x:-$(...)}"', "rm y"]],
  ["echo $'a\\'b' ; ls", ["echo $'a\\'b'", "ls"]],
  ["(cd x && make) > log 2>&1", ["cd x", "make", "> log"]],
  ["( (a) ; b )", ["a", "b"]],
  ["{ a; b; } 2>/dev/null", ["a", "b"]],
  ["echo 'a;b' \"c;d\" e\\;f", ["echo 'a;b' \"c;d\" e\\;f"]],
  ['echo "a \\" ; b"; ls', ['echo "a \\" ; b"', "ls"]],
  ["\\rm -rf ~", ["rm -rf ~"]],
  ["r''m x", ["rm x"]],
  ['"git" status', ["git status"]],
  ['"my tool" x', ['"my tool" x']],
  ["if git diff; then echo a; elif b; then c; else echo d; fi", ["git diff", "echo a", "b", "c", "echo d"]],
  ["for f in $(ls); do rm $f; done", ["ls", "rm $f"]],
  ["for f in a b\ndo\n echo $f\ndone", ["echo $f"]],
  ["while read l; do echo $l; done < file", ["read l", "echo $l"]],
  ["until false; do :; done", ["false", ":"]],
  ["time -p npm test", ["npm test"]],
  ["! git diff --quiet", ["git diff --quiet"]],
  ["npm test 2>&1 | tail -5", ["npm test", "tail -5"]],
  ["echo hi > /etc/passwd", ["echo hi", "> /etc/passwd"]],
  ["echo hi >> ~/.bashrc", ["echo hi", ">> ~/.bashrc"]],
  ["echo hi 2> err.log", ["echo hi", "> err.log"]],
  ["ls >& out", ["ls", "> out"]],
  ["ls &> out", ["ls", "> out"]],
  ["ls &>> out", ["ls", ">> out"]],
  ["ls >| out", ["ls", "> out"]],
  ["exec 3<> /dev/tcp/x/80", ["exec", "<> /dev/tcp/x/80"]],
  ["ls > /dev/null 2>&1 >&2 2>&-", ["ls"]],
  ['ls > "$(mktemp)"', ["ls", '> "$(...)"', "mktemp"]],
  ["sort < in.txt > out.txt", ["sort < in.txt", "> out.txt"]],
  ["cmd 3<&0", ["cmd"]],
  ["echo a2>x", ["echo a2", "> x"]],
  ["> truncated.txt", ["> truncated.txt"]],
  ["x=$(rm a) git status", ["x=$(...) git status", "rm a"]],
  ["A=1 B=2", ["A=1 B=2"]],
  ["git  status \t -s", ["git status -s"]],
  ["echo a \\\n  b", ["echo a b"]],
  ['echo "a\\\nb"', ['echo "ab"']],
  ["git status # ; rm -rf ~", ["git status"]],
  ["# just a comment\nls", ["ls"]],
  ["echo a#b", ["echo a#b"]],
  ["echo $#", ["echo $#"]],
  ["[ -f x ] && echo y", ["[ -f x ]", "echo y"]],
  ["echo {a,b} *.ts", ["echo {a,b} *.ts"]],
  ["echo $ x", ["echo $ x"]],
  ["", []],
  ["   \n\t", []],
  ["# only a comment", []],
];

const REFUSALS: [command: string, reason: RegExp][] = [
  ["cat <<EOF\nx\nEOF", /here-documents/],
  ["cat <<< x", /here-strings/],
  ["diff <(a) <(b)", /process substitution/],
  ["tee >(wc -l)", /process substitution/],
  ["eval x", /eval/],
  ['"eval" x', /eval/],
  ["$CMD x", /only known when it runs/],
  ["${CMD} x", /only known when it runs/],
  ["$(which rm) -rf ~", /only known when it runs/],
  ["/bin/r? x", /glob or brace/],
  ["{rm,-rf,/}", /glob or brace/],
  ["f() { rm x; }; f", /"\(" inside a command/],
  ["a=(1 2)", /"\(" inside a command/],
  ["function f { rm x; }", /function definitions/],
  ["case x in a) b;; esac", /case statements/],
  ["a;; b", /case statement/],
  ["select x in a; do b; done", /select/],
  ["coproc cat", /coprocesses/],
  ["[[ -f x && -d y ]]", /\[\[/],
  ["(( i++ ))", /arithmetic commands/],
  ["echo $((1+2))", /arithmetic expansion/],
  ["echo $[1+2]", /arithmetic expansion/],
  ["echo )", /unexpected "\)"/],
  ["echo $(ls", /missing "\)"/],
  ["(ls", /missing "\)"/],
  ['echo "unterminated', /double quote/],
  ["echo 'unterminated", /single quote/],
  ["echo `unterminated", /backtick/],
  ["echo ${unterminated", /\$\{/],
  ["echo $'x", /\$'/],
  ["echo x \\", /lone backslash/],
  ["(a) b", /after a subshell/],
  ["fi x", /closing keyword/],
  ["for ((i=0;i<3;i++)); do x; done", /arithmetic commands/],
  ["for 1 in a; do x; done", /for NAME in WORDS/],
  ["ls >", /no target/],
  ["ls > ;", /no target/],
  ["cat <&file", /unexpected redirection/],
  ["echo " + "$(".repeat(40) + "x" + ")".repeat(40), /nested too deeply/],
];

describe("splitBashCommand", () => {
  for (const [command, parts] of SPLITS) {
    test(`splits ${JSON.stringify(command)}`, () => {
      expect(splitBashCommand(command)).toEqual({ parsed: true, commands: parts });
    });
  }

  for (const [command, reason] of REFUSALS) {
    test(`refuses ${JSON.stringify(command)}`, () => {
      const split = splitBashCommand(command);
      expect(split.parsed).toBe(false);
      if (!split.parsed) expect(split.reason).toMatch(reason);
    });
  }
});
