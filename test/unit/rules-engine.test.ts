import { describe, expect, test } from "bun:test";
import type { RuleAction, ToolRule } from "../../src/config/schema.ts";
import { evaluateRules } from "../../src/core/rules/index.ts";

// One table of requests against rule lists: every row is a tool request, the rules it
// meets, and the action and deciding rule index the engine must return.

const WORKTREE = "/home/dev/wt/app";

const rule = (tool: string, pattern: string | undefined, action: RuleAction): ToolRule =>
  pattern === undefined ? { tool, action } : { tool, pattern, action };

// Bash rules used by most Bash rows.
const BASH: ToolRule[] = [
  rule("Bash", "rm *", "deny"), // 0
  rule("Bash", "git push *", "ask"), // 1
  rule("Bash", "git *", "allow"), // 2
  rule("Bash", "npm test", "allow"), // 3
  rule("Bash", "npm run *", "allow"), // 4
  rule("Bash", "ls", "allow"), // 5
  rule("Bash", "ls *", "allow"), // 6
  rule("Bash", "echo *", "allow"), // 7
  rule("Bash", "cat *", "allow"), // 8
  rule("Bash", "> /tmp/*", "allow"), // 9
  rule("Bash", "cd *", "allow"), // 10
  rule("Bash", "sudo *", "deny"), // 11
];
const GIT_ONLY: ToolRule[] = [rule("Bash", "git *", "allow")];

const FILES: ToolRule[] = [
  rule("Read", "/etc/**", "deny"), // 0
  rule("Read", "src/**", "allow"), // 1
  rule("Edit", "src/**/*.ts", "allow"), // 2
  rule("Write", ".env", "deny"), // 3
  rule("Write", "**/*.md", "allow"), // 4
  rule("Read", `${WORKTREE}/docs/**`, "allow"), // 5
  rule("MultiEdit", "src/**", "allow"), // 6
  rule("NotebookEdit", "notebooks/*.ipynb", "allow"), // 7
  rule("Read", "*.json", "allow"), // 8
];

const SEARCH: ToolRule[] = [
  rule("Grep", "/etc/**", "deny"), // 0
  rule("Grep", "**/.env", "deny"), // 1
  rule("Grep", "**", "allow"), // 2
  rule("Glob", "src/**", "allow"), // 3
];

const NETWORK_AND_MCP: ToolRule[] = [
  rule("WebFetch", "https://docs.bun.sh/*", "allow"), // 0
  rule("WebFetch", "http://*", "deny"), // 1
  rule("WebSearch", "*bun*", "allow"), // 2
  rule("mcp__github__get_issue", undefined, "allow"), // 3
  rule("mcp__github__create_issue", '*"repo":"me/app"*', "allow"), // 4
  rule("mcp__github__create_issue", undefined, "ask"), // 5
];

const STAR_TOOL: ToolRule[] = [
  rule("*", "/etc/**", "deny"), // 0
  rule("Read", undefined, "allow"), // 1
  rule("*", undefined, "ask"), // 2
];

type Row = [name: string, rules: ToolRule[], toolName: string, input: unknown, action: RuleAction, ruleIndex: number | null];

const bash = (name: string, rules: ToolRule[], command: string, action: RuleAction, ruleIndex: number | null): Row => [
  name,
  rules,
  "Bash",
  { command },
  action,
  ruleIndex,
];

const ROWS: Row[] = [
  // Simple commands and first match wins.
  bash("git * allows git status", BASH, "git status", "allow", 2),
  bash("an earlier ask rule wins over git *", BASH, "git push origin main", "ask", 1),
  bash("rm is denied", BASH, "rm -rf build", "deny", 0),
  bash("exact pattern matches only itself", BASH, "npm test", "allow", 3),
  bash("exact pattern does not match more arguments", BASH, "npm test --watch", "ask", null),
  bash("npm run *", BASH, "npm run build", "allow", 4),
  bash("bare ls needs its own rule", BASH, "ls", "allow", 5),
  bash("ls with arguments", BASH, "ls -la src", "allow", 6),
  bash("`ls *` does not match lsof", BASH, "lsof -i :3000", "ask", null),
  bash("`git *` does not match gitx", BASH, "gitx status", "ask", null),
  bash("no rule for python", BASH, "python x.py", "ask", null),
  bash("sudo denied", BASH, "sudo ls", "deny", 11),
  bash("no rules at all", [], "ls", "ask", null),
  bash("first match wins: allow before deny", [rule("Bash", "git *", "allow"), rule("Bash", "git push *", "deny")], "git push x", "allow", 0),
  bash("first match wins: deny before allow", [rule("Bash", "git push *", "deny"), rule("Bash", "git *", "allow")], "git push x", "deny", 0),
  bash("an ask rule names itself", [rule("Bash", "ls", "ask")], "ls", "ask", 0),
  bash("* in Bash patterns crosses / and ..", BASH, "cat /etc/../etc/hosts", "allow", 8),
  bash("rm * denies paths with ..", BASH, "rm -rf ../../..", "deny", 0),
  bash("rm * denies ./ paths", BASH, "rm ./x", "deny", 0),
  bash("* matches newlines inside quotes", BASH, 'rm "a\nb"', "deny", 0),
  bash("pattern characters in a command are literal", BASH, "ls src/*.ts", "allow", 6),

  // Compound commands: every part allowed → allow, any part denied → deny, else ask.
  bash("the seed bug: git x; rm -rf ~", BASH, "git x; rm -rf ~", "deny", 0),
  bash("seed bug with only git allowed asks", GIT_ONLY, "git x; rm -rf ~", "ask", null),
  bash("; with all parts allowed", BASH, "git status; ls", "allow", 2),
  bash("&& with all parts allowed", BASH, "git status && npm test", "allow", 2),
  bash("|| with all parts allowed", BASH, "git diff --quiet || echo changed", "allow", 2),
  bash("| with all parts allowed", BASH, "git log | cat -n", "allow", 2),
  bash("|& with all parts allowed", BASH, "git log |& cat -n", "allow", 2),
  bash("& with an unknown part asks", BASH, "sleep 1 & git status", "ask", null),
  bash("& with a denied part", BASH, "git status & rm -rf ~", "deny", 0),
  bash("newline with a denied part", BASH, "git status\nrm -rf ~", "deny", 0),
  bash("newline with all parts allowed", BASH, "git status\nls", "allow", 2),
  bash("&& with an unknown part asks", BASH, "git status && python evil.py", "ask", null),
  bash("the first part that is not allowed decides an ask", BASH, "ls && git push origin", "ask", 1),
  bash("deny beats ask in another part", BASH, "git push origin && rm x", "deny", 0),
  bash("deny rule later in the list still denies its part", [rule("Bash", "git *", "allow"), rule("Bash", "rm *", "deny")], "git status; rm x", "deny", 1),
  bash("| then && then ;", BASH, "ls | cat -n && echo ok; git status", "allow", 5),

  // Command substitution smuggling.
  bash("$() smuggling with rm denied", BASH, "git status $(rm -rf ~)", "deny", 0),
  bash("$() smuggling with no rule for rm", GIT_ONLY, "git status $(rm -rf ~)", "ask", null),
  // A substitution's value could be an option that makes git write or run something.
  bash("$() with an allowed inner command still asks: git could be handed an option", BASH, "git log $(echo HEAD)", "ask", null),
  bash("nested $() with rm", BASH, "echo $(git rev-parse $(rm -rf ~))", "deny", 0),
  bash("nested $() with an unknown command", BASH, "echo $(git rev-parse $(python x))", "ask", null),
  bash("nested $() all allowed", BASH, "echo $(git rev-parse $(cat HEAD_NAME))", "allow", 7),
  bash("backticks with rm", BASH, "echo `rm -rf ~`", "deny", 0),
  bash("backticks with an allowed command", BASH, "echo `ls`", "allow", 7),
  bash("nested backticks", BASH, "echo `cat \\`rm -rf ~\\``", "deny", 0),
  bash("$() inside double quotes is a substitution", BASH, 'echo "$(rm -rf ~)"', "deny", 0),
  bash("$() inside single quotes is text", BASH, "echo '$(rm -rf ~)'", "allow", 7),
  bash("backticks inside double quotes", BASH, 'echo "a `rm x` b"', "deny", 0),
  bash("backticks inside single quotes are text", BASH, "echo 'a `rm x` b'", "allow", 7),
  bash("$() hidden in a parameter default (operators in ${…} are not read)", BASH, "echo ${HOME:-$(rm -rf ~)}", "ask", null),
  bash("$() in an assignment", BASH, "X=$(rm -rf ~)", "deny", 0),
  bash("assignment prefix is kept in the text", BASH, "PATH=/tmp git status", "ask", null),
  bash("escaped $ is not a substitution", BASH, "echo \\$HOME", "allow", 7),

  // Subshells, groups, control flow.
  bash("subshell with rm", BASH, "(cd /tmp && rm -rf x)", "deny", 0),
  bash("subshell all allowed", BASH, "(cd src && git status)", "allow", 10),
  bash("nested subshell with rm", BASH, "(git status; (rm -rf ~))", "deny", 0),
  bash("group all allowed", BASH, "{ git status; ls; }", "allow", 2),
  bash("group with rm", BASH, "{ git status; rm -rf ~; }", "deny", 0),
  bash("if/then/fi matches the inner commands", BASH, "if git diff --quiet; then echo clean; fi", "allow", 2),
  bash("for loop over $()", BASH, "for f in $(ls); do cat $f; done", "allow", 5),
  bash("for loop running rm", BASH, "for f in *; do rm $f; done", "deny", 0),
  bash("while loop with an unknown command", BASH, "while true; do python x; done", "ask", null),
  bash("! negation", BASH, "! git diff --quiet", "allow", 2),

  // Quoting and escapes.
  bash("; inside double quotes is not a separator", BASH, 'git commit -m "a; rm -rf ~"', "allow", 2),
  bash("&& inside single quotes is not a separator", BASH, "git commit -m 'a && rm -rf ~'", "allow", 2),
  bash("escaped ; is not a separator", BASH, "git commit -m a\\;rm", "allow", 2),
  bash("| inside quotes then a real pipe", BASH, 'echo "a | b" | cat -n', "allow", 7),
  bash("escaped command name is still rm", BASH, "\\rm -rf ~", "deny", 0),
  bash("quoted command name is still rm", BASH, '"rm" -rf ~', "deny", 0),
  bash("split quotes in the command name", BASH, "r''m -rf ~", "deny", 0),
  bash("a comment hides nothing", BASH, "git status # && rm -rf ~", "allow", 2),
  bash("# inside a word is not a comment", BASH, "echo a#b; rm x", "deny", 0),
  bash("runs of blanks collapse", BASH, "git   status\t-s", "allow", 2),
  bash("line continuation", BASH, "git \\\n  status", "allow", 2),

  // Redirections.
  bash("2>&1 is dropped", BASH, "npm test 2>&1", "allow", 3),
  bash(">/dev/null is dropped", BASH, "ls 2>/dev/null", "allow", 5),
  bash("writing /etc/passwd is its own part", BASH, "echo hi > /etc/passwd", "ask", null),
  bash("appending to ~/.bashrc is its own part", BASH, "echo hi >> ~/.bashrc", "ask", null),
  bash("writing where a rule allows it", BASH, "echo hi > /tmp/out.txt", "allow", 7),
  bash("&> is a write", BASH, "ls &> listing.txt", "ask", null),
  bash("input redirection stays in the text", BASH, "cat < input.txt", "allow", 8),
  bash("redirect then a denied command", BASH, "git log > /tmp/log && rm x", "deny", 0),
  bash("subshell output redirected", BASH, "(git status; ls) > /tmp/x", "allow", 2),

  // Cannot be split with confidence → ask (unless a pattern-less rule comes first).
  bash("here-document with expansions", BASH, "cat <<EOF\n$HOME\nEOF", "ask", null),
  bash("quoted here-document body is data", BASH, "cat <<'EOF'\nrm -rf ~\nEOF", "allow", 8),
  bash("here-string", BASH, "cat <<< hi", "allow", 8),
  bash("process substitution", BASH, "diff <(ls a) <(ls b)", "ask", null),
  bash("eval", BASH, 'eval "git status"', "ask", null),
  bash("unbalanced double quote", BASH, 'git status "unterminated', "ask", null),
  bash("unbalanced single quote", BASH, "git status 'x", "ask", null),
  bash("unbalanced $(", BASH, "git status $(ls", "ask", null),
  bash("unbalanced )", BASH, "git status )", "ask", null),
  bash("arithmetic expansion", BASH, "echo $((1+2))", "ask", null),
  bash("command name from a variable", BASH, "$CMD status", "ask", null),
  bash("command name from a glob", BASH, "/bin/r? -rf ~", "ask", null),
  bash("function definition shadowing git", BASH, "git() { rm -rf ~; }; git status", "ask", null),
  bash("case statement", BASH, "case $x in a) rm -rf ~;; esac", "ask", null),
  bash("empty command", BASH, "   ", "ask", null),
  ["Bash without a command", BASH, "Bash", {}, "ask", null],
  bash("pattern-less deny decides unsplittable input", [rule("Bash", undefined, "deny")], "cat <<EOF\n$x\nEOF", "deny", 0),
  bash("pattern-less * allow decides unsplittable input", [rule("*", undefined, "allow")], "eval x", "allow", 0),
  bash("a patterned rule first keeps unsplittable input asked", [rule("Bash", "git *", "allow"), rule("Bash", undefined, "deny")], "eval x", "ask", null),
  bash("pattern-less deny after a patterned allow", [rule("Bash", "git *", "allow"), rule("Bash", undefined, "deny")], "ls", "deny", 1),
  bash("* allow allows everything parseable", [rule("*", undefined, "allow")], "rm -rf ~", "allow", 0),

  // File tools: resolved against the worktree, relative patterns inside it only.
  ["Read inside src", FILES, "Read", { file_path: "src/a.ts" }, "allow", 1],
  ["Read absolute path inside src", FILES, "Read", { file_path: `${WORKTREE}/src/a.ts` }, "allow", 1],
  ["Read src/../../ walks out of src/**", FILES, "Read", { file_path: "src/../../etc/passwd" }, "ask", null],
  ["Read ../ all the way to /etc", FILES, "Read", { file_path: "src/../../../../../etc/passwd" }, "deny", 0],
  ["Read /etc/passwd", FILES, "Read", { file_path: "/etc/passwd" }, "deny", 0],
  ["Read ./ prefix", FILES, "Read", { file_path: "./src/deep/x/y.ts" }, "allow", 1],
  ["Read .. that stays inside", FILES, "Read", { file_path: "src/../package.json" }, "allow", 8],
  ["Read * stays in one segment", FILES, "Read", { file_path: "config/app.json" }, "ask", null],
  ["Read with no matching rule", FILES, "Read", { file_path: "lib/x.ts" }, "ask", null],
  ["absolute pattern matches the absolute path", FILES, "Read", { file_path: "docs/readme.md" }, "allow", 5],
  ["leaving and re-entering the worktree", FILES, "Read", { file_path: "../app/src/a.ts" }, "allow", 1],
  ["a sibling directory is outside", FILES, "Read", { file_path: "../other/src/a.ts" }, "ask", null],
  ["a sibling with the worktree as prefix is outside", FILES, "Read", { file_path: `${WORKTREE}-evil/src/a.ts` }, "ask", null],
  ["~ is not expanded, so it asks", FILES, "Read", { file_path: "~/.ssh/id_rsa" }, "ask", null],
  ["Read without file_path", FILES, "Read", { path: "src/a.ts" }, "ask", null],
  ["dotfiles match **", FILES, "Read", { file_path: "src/.secret" }, "allow", 1],
  ["Edit a .ts file in src", FILES, "Edit", { file_path: "src/a.ts" }, "allow", 2],
  ["Edit deep in src", FILES, "Edit", { file_path: "src/deep/er/a.ts" }, "allow", 2],
  ["Edit a .js file", FILES, "Edit", { file_path: "src/a.js" }, "ask", null],
  ["Edit outside via ..", FILES, "Edit", { file_path: "src/../../src/a.ts" }, "ask", null],
  ["Write .env denied", FILES, "Write", { file_path: ".env" }, "deny", 3],
  ["Write .env in a subdirectory is not .env", FILES, "Write", { file_path: "src/.env" }, "ask", null],
  ["Write a markdown file", FILES, "Write", { file_path: "README.md" }, "allow", 4],
  ["Write deep markdown", FILES, "Write", { file_path: "docs/guide/x.md" }, "allow", 4],
  ["Write markdown outside the worktree", FILES, "Write", { file_path: "/tmp/x.md" }, "ask", null],
  ["MultiEdit", FILES, "MultiEdit", { file_path: "src/a.ts", edits: [] }, "allow", 6],
  ["NotebookEdit uses notebook_path", FILES, "NotebookEdit", { notebook_path: "notebooks/a.ipynb" }, "allow", 7],
  ["NotebookEdit * stays in one segment", FILES, "NotebookEdit", { notebook_path: "notebooks/sub/a.ipynb" }, "ask", null],
  ["a rule for Read does not cover Edit", [rule("Read", "src/**", "allow")], "Edit", { file_path: "src/a.ts" }, "ask", null],

  // Grep and Glob: the search pattern and, when given, the path are separate parts.
  ["Grep without a path", SEARCH, "Grep", { pattern: "TODO" }, "allow", 2],
  ["Grep inside the worktree", SEARCH, "Grep", { pattern: "TODO", path: "src" }, "allow", 2],
  ["Grep the worktree itself", SEARCH, "Grep", { pattern: "a.*b", path: "." }, "allow", 2],
  ["Grep in /etc is denied", SEARCH, "Grep", { pattern: "TODO", path: "/etc" }, "deny", 0],
  ["Grep outside the worktree asks", SEARCH, "Grep", { pattern: "TODO", path: "../.." }, "ask", null],
  ["Grep without a pattern", SEARCH, "Grep", { path: "src" }, "ask", null],
  ["Grep's glob picks the files: a denied name is denied", SEARCH, "Grep", { pattern: "KEY", path: ".", glob: ".env" }, "deny", 1],
  ["Grep's glob with a path in it", SEARCH, "Grep", { pattern: "KEY", path: "config", glob: "prod/.env" }, "deny", 1],
  ["Grep's glob of other files", SEARCH, "Grep", { pattern: "KEY", path: ".", glob: "*.ts" }, "allow", 2],
  ["Glob in src", SEARCH, "Glob", { pattern: "src/**/*.ts" }, "allow", 3],
  ["Glob relative to its path", SEARCH, "Glob", { pattern: "**/*.ts", path: "src" }, "allow", 3],
  ["Glob climbing out", SEARCH, "Glob", { pattern: "src/../../*" }, "ask", null],
  ["Glob from a path outside", SEARCH, "Glob", { pattern: "**/*.ts", path: "/" }, "ask", null],
  ["Glob with .. inside braces", SEARCH, "Glob", { pattern: "src/{a,../../x}/*" }, "ask", null],
  ["Glob elsewhere in the worktree", SEARCH, "Glob", { pattern: "lib/**" }, "ask", null],

  // WebFetch, WebSearch, MCP tools.
  ["WebFetch: * crosses /", NETWORK_AND_MCP, "WebFetch", { url: "https://docs.bun.sh/api/file-io", prompt: "x" }, "allow", 0],
  ["WebFetch over http denied", NETWORK_AND_MCP, "WebFetch", { url: "http://example.com/" }, "deny", 1],
  ["WebFetch elsewhere asks", NETWORK_AND_MCP, "WebFetch", { url: "https://example.com/" }, "ask", null],
  ["WebFetch look-alike host", NETWORK_AND_MCP, "WebFetch", { url: "https://docs.bun.sh.evil.com/" }, "ask", null],
  ["WebFetch without url", NETWORK_AND_MCP, "WebFetch", { prompt: "x" }, "ask", null],
  ["WebSearch query", NETWORK_AND_MCP, "WebSearch", { query: "bun sqlite wal" }, "allow", 2],
  ["WebSearch other query", NETWORK_AND_MCP, "WebSearch", { query: "deno kv" }, "ask", null],
  ["MCP tool allowed whole", NETWORK_AND_MCP, "mcp__github__get_issue", { number: 3 }, "allow", 3],
  ["MCP input matched as compact JSON", NETWORK_AND_MCP, "mcp__github__create_issue", { repo: "me/app", title: "x" }, "allow", 4],
  ["MCP input for another repo", NETWORK_AND_MCP, "mcp__github__create_issue", { repo: "other/x", title: "x" }, "ask", 5],
  ["unknown MCP tool", NETWORK_AND_MCP, "mcp__other__tool", {}, "ask", null],

  // `*` tool rules apply to every tool, each in its own pattern language.
  ["* rule denies a file path", STAR_TOOL, "Read", { file_path: "/etc/hosts" }, "deny", 0],
  ["tool rule after a * rule", STAR_TOOL, "Read", { file_path: "src/a.ts" }, "allow", 1],
  ["* catch-all for Bash", STAR_TOOL, "Bash", { command: "ls" }, "ask", 2],
  ["* rule text-matches a Bash command", STAR_TOOL, "Bash", { command: "/etc/init.d/nginx restart" }, "deny", 0],
  ["* catch-all for MCP", STAR_TOOL, "mcp__x__y", { a: 1 }, "ask", 2],
];

describe("evaluateRules table", () => {
  test("has at least 100 rows", () => expect(ROWS.length).toBeGreaterThanOrEqual(100));

  for (const [name, rules, toolName, input, action, ruleIndex] of ROWS) {
    test(`${name}: ${toolName} ${JSON.stringify(input)} → ${action}`, () => {
      const decision = evaluateRules(rules, { toolName, input, worktree: WORKTREE });
      expect({ action: decision.action, ruleIndex: decision.ruleIndex }).toEqual({ action, ruleIndex });
      expect(decision.rule).toBe(ruleIndex === null ? null : rules[ruleIndex]);
      expect(decision.reason).not.toBe("");
    });
  }
});

describe("evaluateRules details", () => {
  test("reports a decision per Bash part, in written order", () => {
    const decision = evaluateRules(BASH, { toolName: "Bash", input: { command: "git status $(rm -rf ~) && ls" }, worktree: WORKTREE });
    expect(decision.parts.map((part) => [part.subject, part.action, part.ruleIndex])).toEqual([
      ["git status $(...)", "allow", 2],
      ["rm -rf ~", "deny", 0],
      ["ls", "allow", 5],
    ]);
    expect(decision.reason).toContain('"rm -rf ~"');
    expect(decision.reason).toContain("toolApprovalRules[0]");
  });

  test("explains why unsplittable input is asked", () => {
    const decision = evaluateRules(BASH, { toolName: "Bash", input: { command: "cat <<EOF\n$x\nEOF" }, worktree: WORKTREE });
    expect(decision.reason).toContain("here-documents");
    expect(decision.parts).toEqual([]);
  });

  test("shows paths outside the worktree absolutely", () => {
    const decision = evaluateRules(FILES, { toolName: "Read", input: { file_path: "src/../../x" }, worktree: WORKTREE });
    expect(decision.parts[0].subject).toBe("/home/dev/wt/x");
  });

  test("refuses a bad rule list instead of skipping the bad rule", () => {
    const rules = [rule("Bash", "rm *", "deny"), { tool: "Bash", action: "alow" } as unknown as ToolRule];
    expect(() => evaluateRules(rules, { toolName: "Bash", input: { command: "rm x" }, worktree: WORKTREE })).toThrow(
      /toolApprovalRules\[1\]\.action/,
    );
  });

  test("sees a rule pushed onto a list it has already compiled", () => {
    const rules = [rule("Bash", "git *", "allow")];
    const context = { toolName: "Bash", input: { command: "ls" }, worktree: WORKTREE };
    expect(evaluateRules(rules, context).action).toBe("ask");
    rules.unshift(rule("Bash", "ls", "deny"));
    expect(evaluateRules(rules, context).action).toBe("deny");
  });

  test("refuses a relative worktree", () => {
    expect(() => evaluateRules([], { toolName: "Read", input: { file_path: "a" }, worktree: "wt" })).toThrow(/absolute/);
  });

  // Speed is measured by `bun run bench`, never asserted here; this checks that a long list decides correctly.
  test("200 rules: first match wins deep in the list", () => {
    const rules: ToolRule[] = [];
    for (let i = 0; i < 200; i++) {
      rules.push(rule("Bash", `tool${i} *`, "allow"), rule("Read", `dir${i}/**/*.ts`, "allow"));
    }
    rules.length = 200;
    expect(evaluateRules(rules, { toolName: "Bash", input: { command: "tool98 a && tool42 b" }, worktree: WORKTREE })).toMatchObject({ action: "allow" });
    expect(evaluateRules(rules, { toolName: "Bash", input: { command: "tool98 a && unknown $(x)" }, worktree: WORKTREE }).action).toBe("ask");
    expect(evaluateRules(rules, { toolName: "Read", input: { file_path: "dir99/a/b.ts" }, worktree: WORKTREE })).toMatchObject({ action: "allow", ruleIndex: 199 });
    expect(evaluateRules(rules, { toolName: "Read", input: { file_path: "dir100/a/b.ts" }, worktree: WORKTREE }).action).toBe("ask");
  });
});

test("a path is denied or asked whatever its case (a case-insensitive disk opens .env for .ENV), and allowed only as written", () => {
  const rules = [rule("Write", "**/.env", "deny"), rule("Write", "src/**", "allow")];
  const decideWrite = (file_path: string) => evaluateRules(rules, { toolName: "Write", input: { file_path, content: "" }, worktree: WORKTREE }).action;
  expect(decideWrite(".ENV")).toBe("deny");
  expect(decideWrite("config/.Env")).toBe("deny");
  expect(decideWrite("src/a.ts")).toBe("allow");
  expect(decideWrite("SRC/a.ts")).toBe("ask");
});
