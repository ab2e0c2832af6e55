import { describe, expect, test } from "bun:test";
import type { ToolRule } from "../../src/config/schema.ts";
import { buildAlwaysRules, escapePattern, evaluateRules, withAlwaysRules } from "../../src/core/rules/index.ts";
import type { AlwaysRuleRequest } from "../../src/core/rules/index.ts";

// `--always` turns a request into rules; whatever it builds must decide that same request.

const WORKTREE = "/home/dev/wt/app";

const request = (toolName: string, input: unknown, permissionSuggestions?: unknown): AlwaysRuleRequest => ({
  toolName,
  input,
  permissionSuggestions,
  worktree: WORKTREE,
});
const bashRequest = (command: string, permissionSuggestions?: unknown) => request("Bash", { command }, permissionSuggestions);
const suggest = (...contents: string[]) => [
  { type: "addRules", rules: contents.map((ruleContent) => ({ toolName: "Bash", ruleContent })), behavior: "allow", destination: "localSettings" },
];
const decide = (rules: readonly ToolRule[], req: AlwaysRuleRequest) =>
  evaluateRules(rules, { toolName: req.toolName, input: req.input, worktree: WORKTREE }).action;
const patterns = (rules: ToolRule[]) => rules.map((rule) => rule.pattern);

describe("buildAlwaysRules for Bash", () => {
  test("the exact command, matching only itself", () => {
    const req = bashRequest("npm run build -- --prod");
    const rules = buildAlwaysRules(req, "allow");
    expect(rules).toEqual([{ tool: "Bash", pattern: "npm run build -- --prod", action: "allow" }]);
    expect(decide(rules, req)).toBe("allow");
    expect(decide(rules, bashRequest("npm run build -- --prod; rm -rf ~"))).toBe("ask");
    expect(decide(rules, bashRequest("npm run build -- --prod --x"))).toBe("ask");
  });

  test("escapes * and \\ so they match only themselves", () => {
    const req = bashRequest("ls *.ts && echo a\\\\b");
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["ls \\*.ts", "echo a\\\\\\\\b"]);
    expect(decide(rules, req)).toBe("allow");
    expect(decide(rules, bashRequest("ls secret.ts"))).toBe("ask");
  });

  test("one rule per part of a compound command, in the form the engine matches", () => {
    const req = bashRequest("cd  src &&   git status $(date)");
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["cd src", "git status $(...)", "date"]);
    expect(decide(rules, req)).toBe("allow");
    expect(decide(rules, bashRequest("git status $(rm -rf ~)"))).toBe("ask");
  });

  test("claude's :* prefix becomes the prefix alone and `prefix *`", () => {
    const req = bashRequest("npm test -- --watch", suggest("npm test:*"));
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["npm test", "npm test *"]);
    expect(decide(rules, bashRequest("npm test"))).toBe("allow");
    expect(decide(rules, bashRequest("npm test --coverage"))).toBe("allow");
    expect(decide(rules, bashRequest("npm testify"))).toBe("ask");
  });

  test("claude's newer `prefix *` syntax is read the same way", () => {
    expect(patterns(buildAlwaysRules(bashRequest("npm run test -- a"), "allow", []))).toEqual(["npm run test -- a"]);
    expect(patterns(buildAlwaysRules(bashRequest("npm run test -- a", suggest("npm run test *")), "allow"))).toEqual([
      "npm run test",
      "npm run test *",
    ]);
  });

  test("a wildcard suggestion is kept as it is", () => {
    const rules = buildAlwaysRules(bashRequest("git log --version", suggest("git * --version")), "allow");
    expect(patterns(rules)).toEqual(["git * --version"]);
  });

  test("suggestions cover the parts they match; the other parts get exact rules", () => {
    const req = bashRequest("cd x && npm test --watch", suggest("npm test:*"));
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["cd x", "npm test", "npm test *"]);
    expect(decide(rules, req)).toBe("allow");
  });

  test("suggestions that match nothing in the request are ignored", () => {
    expect(patterns(buildAlwaysRules(bashRequest("npm test", suggest("python:*")), "allow"))).toEqual(["npm test"]);
  });

  test("suggestions that would match every command are ignored", () => {
    for (const content of ["*", " *", ":*"]) {
      expect(patterns(buildAlwaysRules(bashRequest(":", suggest(content)), "allow"))).toEqual([":"]);
    }
  });

  test("a suggestion spanning several commands is ignored", () => {
    expect(patterns(buildAlwaysRules(bashRequest("git status; rm x", suggest("git status; rm:*")), "allow"))).toEqual([
      "git status",
      "rm x",
    ]);
  });

  test("malformed suggestions are ignored, never widened to the whole tool", () => {
    const malformed = [
      "not a list",
      null,
      [null, 1, "x", { type: "setMode", mode: "acceptEdits" }, { type: "addDirectories", directories: ["/"] }],
      [{ type: "addRules", rules: [{ toolName: "Bash" }] }],
      [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "" }] }],
      [{ type: "addRules", rules: [{ toolName: "Read", ruleContent: "npm:*" }] }],
      [{ type: "addRules", rules: "npm:*" }],
      [{ type: "addRules", behavior: "deny", rules: [{ toolName: "Bash", ruleContent: "npm:*" }] }],
    ];
    for (const suggestions of malformed) {
      expect(buildAlwaysRules(bashRequest("npm ci", suggestions), "allow")).toEqual([{ tool: "Bash", pattern: "npm ci", action: "allow" }]);
    }
  });

  test("parts the current rules already allow are left out", () => {
    const current: ToolRule[] = [{ tool: "Bash", pattern: "cd *", action: "allow" }];
    const rules = buildAlwaysRules(bashRequest("cd x && make"), "allow", current);
    expect(patterns(rules)).toEqual(["make"]);
    expect(buildAlwaysRules(bashRequest("cd y"), "allow", current)).toEqual([]);
  });

  test("deny targets the parts the rules did not allow, and ignores suggestions", () => {
    const current: ToolRule[] = [{ tool: "Bash", pattern: "git *", action: "allow" }];
    const req = bashRequest("git status && rm -rf build", suggest("rm:*"));
    const rules = buildAlwaysRules(req, "deny", current);
    expect(rules).toEqual([{ tool: "Bash", pattern: "rm -rf build", action: "deny" }]);
    expect(decide(withAlwaysRules(current, rules), req)).toBe("deny");
  });

  test("deny of a command whose parts are all allowed denies them all", () => {
    const current: ToolRule[] = [{ tool: "Bash", pattern: "git *", action: "allow" }];
    const rules = buildAlwaysRules(bashRequest("git push --force"), "deny", current);
    expect(rules).toEqual([{ tool: "Bash", pattern: "git push --force", action: "deny" }]);
  });

  test("a command that cannot be split has no --always rule", () => {
    expect(() => buildAlwaysRules(bashRequest("cat <<EOF\n$x\nEOF"), "allow")).toThrow(/here-documents/);
    expect(() => buildAlwaysRules(bashRequest("  "), "allow")).toThrow(/empty/);
  });
});

describe("buildAlwaysRules for other tools", () => {
  test("file tools: the worktree-relative path", () => {
    const req = request("Edit", { file_path: `${WORKTREE}/src/../lib/a.ts`, old_string: "a", new_string: "b" });
    const rules = buildAlwaysRules(req, "allow");
    expect(rules).toEqual([{ tool: "Edit", pattern: "lib/a.ts", action: "allow" }]);
    expect(decide(rules, req)).toBe("allow");
    expect(decide(rules, request("Edit", { file_path: "lib/b.ts" }))).toBe("ask");
    expect(decide(rules, request("Write", { file_path: "lib/a.ts" }))).toBe("ask");
  });

  test("file tools: glob characters in a path are escaped", () => {
    const req = request("Read", { file_path: "app/[id]/page(1).tsx" });
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["app/\\[id\\]/page\\(1\\).tsx"]);
    expect(decide(rules, req)).toBe("allow");
    expect(decide(rules, request("Read", { file_path: "app/i/page1.tsx" }))).toBe("ask");
  });

  test("file tools: a path outside the worktree stays absolute", () => {
    const req = request("Read", { file_path: "../../../../etc/hosts" });
    const rules = buildAlwaysRules(req, "deny");
    expect(rules).toEqual([{ tool: "Read", pattern: "/etc/hosts", action: "deny" }]);
    expect(decide(rules, request("Read", { file_path: "/etc/hosts" }))).toBe("deny");
  });

  test("NotebookEdit uses notebook_path", () => {
    expect(patterns(buildAlwaysRules(request("NotebookEdit", { notebook_path: "nb/a.ipynb" }), "allow"))).toEqual(["nb/a.ipynb"]);
  });

  test("Grep: its pattern and its path, each escaped for both languages", () => {
    const req = request("Grep", { pattern: "foo(bar)*", path: "src" });
    const rules = buildAlwaysRules(req, "allow");
    expect(patterns(rules)).toEqual(["foo\\(bar\\)\\*", "src"]);
    expect(decide(rules, req)).toBe("allow");
  });

  test("WebFetch, WebSearch and MCP: the exact primary input", () => {
    const fetch = request("WebFetch", { url: "https://example.com/a*b", prompt: "x" });
    expect(patterns(buildAlwaysRules(fetch, "allow"))).toEqual(["https://example.com/a\\*b"]);
    const mcp = request("mcp__github__get_issue", { number: 3 });
    const rules = buildAlwaysRules(mcp, "allow");
    expect(patterns(rules)).toEqual(['{"number":3}']);
    expect(decide(rules, mcp)).toBe("allow");
    expect(decide(rules, request("mcp__github__get_issue", { number: 4 }))).toBe("ask");
  });

  test("an input csm cannot resolve has no --always rule", () => {
    expect(() => buildAlwaysRules(request("Read", { file_path: "~/.ssh/id_rsa" }), "deny")).toThrow(/RuleNotBuildable|~/);
  });
});

describe("withAlwaysRules", () => {
  const current: ToolRule[] = [
    { tool: "Bash", pattern: "git push *", action: "ask" },
    { tool: "Bash", pattern: "rm *", action: "deny" },
    { tool: "Bash", pattern: "git *", action: "allow" },
  ];

  test("an added allow goes after the last deny, ahead of older asks and allows", () => {
    const added: ToolRule[] = [{ tool: "Bash", pattern: "git push origin main", action: "allow" }];
    const rules = withAlwaysRules(current, added);
    expect(rules).toEqual([current[0], current[1], added[0], current[2]]);
  });

  test("an added deny goes first", () => {
    const added: ToolRule[] = [{ tool: "Bash", pattern: "git status", action: "deny" }];
    expect(withAlwaysRules(current, added)).toEqual([added[0], ...current]);
  });

  test("an older copy of an added rule is dropped", () => {
    const added: ToolRule[] = [{ tool: "Bash", pattern: "git *", action: "allow" }];
    expect(withAlwaysRules(current, added)).toEqual(current);
  });

  test("with no denies an added allow goes first", () => {
    const added: ToolRule[] = [{ tool: "Bash", pattern: "x", action: "allow" }];
    expect(withAlwaysRules([current[0]], added)).toEqual([added[0], current[0]]);
  });
});

describe("round trip: the rules built for a request allow it", () => {
  const commands = [
    "git status",
    "git commit -m 'a; b' && git push",
    "ls -la | grep x > /tmp/out",
    "echo \"$(date)\" `whoami`",
    "for f in *.ts; do wc -l $f; done",
    "(cd sub && make) 2>&1 | tee log.txt",
    "FOO=1 npm test",
    "\\ls [abc]* {x,y}",
  ];
  const current: ToolRule[] = [
    { tool: "Bash", pattern: "git push *", action: "ask" },
    { tool: "Bash", pattern: "rm *", action: "deny" },
  ];
  for (const command of commands) {
    test(JSON.stringify(command), () => {
      const req = bashRequest(command);
      const rules = withAlwaysRules(current, buildAlwaysRules(req, "allow", current));
      expect(decide(rules, req)).toBe("allow");
    });
  }
});

test("escapePattern escapes for the tool's pattern languages", () => {
  expect(escapePattern("a*b\\c?[d]", "Bash")).toBe("a\\*b\\\\c?[d]");
  expect(escapePattern("a*b?[d]{e}(f)!", "Read")).toBe("a\\*b\\?\\[d\\]\\{e\\}\\(f\\)\\!");
});
