import { expect, test } from "bun:test";
import { checkName, isValidName } from "../../src/shared/names.ts";

const valid = ["a", "fix-login", "A.b_c-1", "x".repeat(64), "0day", "v1.2"];
const invalid = ["", "-rf", ".hidden", "_x", "a;touch x", "../x", "a/b", "a b", "a\nb", "$(id)", "`id`", "x".repeat(65), "fіx", "ａ", "a..b", "a.lock", "a.", "na\u0000me"];

test.each(valid)("accepts %p", (name) => {
  expect(checkName("session", name)).toBe(name);
});

test.each(invalid)("refuses %p with a message naming it", (name) => {
  expect(isValidName(name)).toBe(false);
  expect(() => checkName("session", name)).toThrow(/invalid session name/);
});

test("the refusal is a usage error (exit 2)", () => {
  try {
    checkName("session", "a;b");
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(2);
  }
});
