import { expect, test } from "bun:test";
import { validateConfig } from "../../src/config/schema.ts";

const path = "/home/u/.config/csm/config.json";
const fails = (raw: unknown, field: string) => {
  expect(() => validateConfig(raw, path)).toThrow(`config ${path}: ${field}:`);
};

test("an empty config gets empty collections", () => {
  expect(validateConfig({}, path)).toEqual({ hosts: {}, projects: {}, toolApprovalRules: [] });
});

test("a full valid config passes unchanged", () => {
  const raw = {
    defaultRepo: "~/src/app",
    worktreeBase: "~/wt",
    tmuxSocket: "csm",
    claudeBin: "/usr/bin/claude",
    claudeArgs: ["--model", "opus"],
    apiPort: 7437,
    hosts: { devbox: { host: "10.0.0.2", port: 22, user: "me", identityFile: "~/.ssh/id", env: { PATH: "/usr/bin" } } },
    projects: { app: { repo: "~/src/app", setupScript: ["npm", "ci"], copyFiles: [".env"] } },
    toolApprovalRules: [{ tool: "Bash", pattern: "git status*", action: "allow" as const }],
  };
  expect(validateConfig(raw, path)).toEqual(raw);
});

test.each([
  [[], "(top level)"],
  ["text", "(top level)"],
  [{ apiPort: "x" }, "apiPort"],
  [{ apiPort: 70000 }, "apiPort"],
  [{ worktreBase: "/x" }, "worktreBase"],
  [{ tmuxSocket: "a;b" }, "tmuxSocket"],
  [{ defaultRepo: "" }, "defaultRepo"],
  [{ claudeArgs: "--x" }, "claudeArgs"],
  [{ claudeArgs: [1] }, "claudeArgs[0]"],
  [{ hosts: { "bad name": { host: "h" } } }, "hosts.bad name"],
  [{ hosts: { dev: {} } }, "hosts.dev.host"],
  [{ hosts: { dev: { host: "h", port: 0 } } }, "hosts.dev.port"],
  [{ hosts: { dev: { host: "h", env: { "A-B": "x" } } } }, "hosts.dev.env.A-B"],
  [{ projects: { app: { setupScript: "x" } } }, "projects.app.repo"],
  [{ projects: { app: { repo: "/r", copyFiles: [""] } } }, "projects.app.copyFiles[0]"],
  [{ toolApprovalRules: [{ tool: "Bash", action: "maybe" }] }, "toolApprovalRules[0].action"],
  [{ toolApprovalRules: [{ tool: "Bash" }] }, "toolApprovalRules[0].action"],
  [{ toolApprovalRules: {} }, "toolApprovalRules"],
] as [unknown, string][])("%p is refused at field %p", (raw, field) => {
  fails(raw, field);
});

// Flags that let claude run tools without asking would turn csm's approvals off unseen.
test.each([
  [["--dangerously-skip-permissions"], "claudeArgs[0]"],
  [["--model", "opus", "--allow-dangerously-skip-permissions"], "claudeArgs[2]"],
  [["--permission-mode", "bypassPermissions"], "claudeArgs[0]"],
  [["--permission-mode=bypassPermissions"], "claudeArgs[0]"],
  [["--permission-mode", "acceptEdits"], "claudeArgs[0]"],
  [["--permission-mode", "auto"], "claudeArgs[0]"],
  [["--settings", '{"permissions":{"defaultMode":"bypassPermissions"}}'], "claudeArgs[0]"],
] as [string[], string][])("claudeArgs %p is refused at %p unless allowSkipPermissions", (claudeArgs, field) => {
  fails({ claudeArgs }, field);
  expect(() => validateConfig({ claudeArgs }, path)).toThrow(/allowSkipPermissions/);
  fails({ claudeArgs, allowSkipPermissions: false }, field);
  expect(validateConfig({ claudeArgs, allowSkipPermissions: true }, path).claudeArgs).toEqual(claudeArgs);
});

test.each([
  [["--permission-mode", "plan"]],
  [["--permission-mode=dontAsk"]],
  [["--permission-mode", "default"]],
  [["--permission-mode", "manual"]],
  [["--settings", "/home/u/claude-settings.json"]],
  [["--permission-prompts", "none"]],
] as [string[]][])("claudeArgs %p still ask, and pass", (claudeArgs) => {
  expect(validateConfig({ claudeArgs }, path).claudeArgs).toEqual(claudeArgs);
});

test("allowSkipPermissions must be a boolean", () => {
  fails({ allowSkipPermissions: "yes" }, "allowSkipPermissions");
});

// JSON.parse makes "__proto__" an ordinary key; merged or assigned anywhere later it
// would set a prototype instead, planting settings that no file or list shows.
test.each([
  ['{"__proto__": {"toolApprovalRules": [{"tool": "Bash", "action": "allow"}]}}', "__proto__"],
  ['{"constructor": 1}', "constructor"],
  ['{"hosts": {"prototype": {"host": "h"}}}', "hosts.prototype"],
  ['{"hosts": {"dev": {"host": "h", "env": {"constructor": "x"}}}}', "hosts.dev.env.constructor"],
  ['{"toolApprovalRules": [{"tool": "Bash", "action": "allow", "__proto__": {"action": "deny"}}]}', "toolApprovalRules[0].__proto__"],
])("prototype key in %s is refused at %p", (text, field) => {
  expect(() => validateConfig(JSON.parse(text), path)).toThrow(`config ${path}: ${field}: is not allowed`);
});
