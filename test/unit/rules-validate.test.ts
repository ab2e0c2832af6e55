import { describe, expect, test } from "bun:test";
import { CsmError } from "../../src/shared/errors.ts";
import { validateRules } from "../../src/core/rules/validate.ts";

// A bad rule refuses the whole list with an error naming the rule's index and field.

const REFUSED: [name: string, rules: unknown, message: RegExp][] = [
  ["not an array", { tool: "Bash", action: "allow" }, /^toolApprovalRules: must be an array/],
  ["not an object", ["Bash"], /toolApprovalRules\[0\]: must be an object/],
  ["null rule", [null], /toolApprovalRules\[0\]: must be an object/],
  ["bad action", [{ tool: "Bash", action: "allow" }, { tool: "Bash", action: "alow" }], /toolApprovalRules\[1\]\.action: must be allow, deny or ask \(got "alow"\)/],
  ["missing action", [{ tool: "Bash" }], /toolApprovalRules\[0\]\.action: must be allow, deny or ask \(got nothing\)/],
  ["action of the wrong type", [{ tool: "Bash", action: true }], /\[0\]\.action: .*got true/],
  ["missing tool", [{ action: "allow" }], /toolApprovalRules\[0\]\.tool: must be a tool name/],
  ["empty tool", [{ tool: "", action: "allow" }], /\[0\]\.tool: must be a tool name/],
  ["tool with a space", [{ tool: "Bash Read", action: "allow" }], /\[0\]\.tool: "Bash Read" is not a tool name/],
  ["tool in claude's Bash(...) syntax", [{ tool: "Bash(git *)", action: "allow" }], /\[0\]\.tool: "Bash\(git \*\)" is not a tool name/],
  ["tool glob", [{ tool: "mcp__*", action: "allow" }], /\[0\]\.tool: "mcp__\*" is not a tool name/],
  ["tool in the wrong case", [{ tool: "bash", action: "allow" }], /\[0\]\.tool: tool names are case-sensitive: did you mean "Bash"\?/],
  ["unknown field", [{ tool: "Bash", action: "allow", patern: "x" }], /\[0\]\.patern: unknown field/],
  ["empty pattern", [{ tool: "Bash", pattern: "", action: "allow" }], /\[0\]\.pattern: must not be empty/],
  ["pattern of the wrong type", [{ tool: "Bash", pattern: 3, action: "allow" }], /\[0\]\.pattern: must be a string/],
  ["pattern with NUL", [{ tool: "Bash", pattern: "a\0", action: "allow" }], /\[0\]\.pattern: must not contain NUL/],
  ["Bash pattern ending in a lone backslash", [{ tool: "Bash", pattern: "echo \\", action: "allow" }], /\[0\]\.pattern: "echo \\\\" ends with a lone backslash/],
  ["unclosed bracket in a file glob", [{ tool: "Read", pattern: "src/[a", action: "allow" }], /\[0\]\.pattern: "src\/\[a" is not a valid glob: Missing closing: "\]"/],
  ["unclosed brace in a file glob", [{ tool: "Edit", pattern: "src/{a,b", action: "allow" }], /\[0\]\.pattern: .*Missing closing: "\}"/],
  ["unclosed paren in a file glob", [{ tool: "Write", pattern: "a(b", action: "allow" }], /\[0\]\.pattern: .*Missing closing: "\)"/],
  ["reversed range", [{ tool: "Glob", pattern: "[z-a]", action: "allow" }], /\[0\]\.pattern: .*not a valid glob/],
  ["a * rule's pattern must also be a valid glob", [{ tool: "*", pattern: "echo (", action: "deny" }], /\[0\]\.pattern: .*matched against file paths too/],
  ["a Grep rule's pattern must also be a valid glob", [{ tool: "Grep", pattern: "a{", action: "allow" }], /\[0\]\.pattern: .*file paths too/],
  ["relative file pattern with ..", [{ tool: "Read", pattern: "../other/**", action: "allow" }], /\[0\]\.pattern: .*can never match.*absolute pattern/],
  ["relative file pattern with .. inside", [{ tool: "Edit", pattern: "src/../../**", action: "allow" }], /can never match/],
  ["only ./", [{ tool: "Read", pattern: "./", action: "allow" }], /\[0\]\.pattern: .*empty/],
];

const ACCEPTED: [name: string, rules: unknown][] = [
  ["empty list", []],
  ["every action", [{ tool: "Bash", action: "allow" }, { tool: "Bash", action: "deny" }, { tool: "Bash", action: "ask" }]],
  ["* tool", [{ tool: "*", action: "ask" }]],
  ["MCP tool names", [{ tool: "mcp__github__create_issue", action: "allow" }, { tool: "mcp__my-server.v2__do:it", action: "deny" }]],
  ["an unknown but well-formed tool", [{ tool: "FutureTool", action: "ask" }]],
  ["Bash text with characters globs would treat specially", [{ tool: "Bash", pattern: "echo (a [b {c ?", action: "allow" }]],
  ["file globs", [{ tool: "Read", pattern: "src/**/*.{ts,tsx}", action: "allow" }, { tool: "Read", pattern: "/etc/**", action: "deny" }]],
  ["absolute file pattern with ..", [{ tool: "Read", pattern: "/a/../b/**", action: "deny" }]],
  ["pattern explicitly undefined", [{ tool: "Bash", pattern: undefined, action: "allow" }]],
];

describe("validateRules", () => {
  for (const [name, rules, message] of REFUSED) {
    test(`refuses ${name}`, () => {
      let error: unknown;
      try {
        validateRules(rules);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CsmError);
      expect((error as CsmError).name).toBe("RulesInvalid");
      expect((error as CsmError).message).toMatch(message);
    });
  }

  for (const [name, rules] of ACCEPTED) {
    test(`accepts ${name}`, () => expect(() => validateRules(rules)).not.toThrow());
  }

  test("names the list it was given", () => {
    expect(() => validateRules([{ tool: "Bash", action: "x" }], "~/.config/csm/config.json: toolApprovalRules")).toThrow(
      "~/.config/csm/config.json: toolApprovalRules[0].action",
    );
  });

  test("records where the problem is", () => {
    try {
      validateRules([{ tool: "Bash", action: "allow" }, { tool: "Bash", pattern: "", action: "allow" }]);
    } catch (error) {
      expect((error as CsmError).data).toEqual({ source: "toolApprovalRules", index: 1, field: "pattern" });
      expect((error as CsmError).exitCode).toBe(78);
    }
    expect.assertions(2);
  });
});
