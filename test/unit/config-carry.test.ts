import { expect, test } from "bun:test";
import { machineNameOf, pathMapOf, validateConfig } from "../../src/config/schema.ts";

const path = "/home/u/.config/csm/config.json";
const fails = (raw: unknown, field: string, problem: string) => {
  expect(() => validateConfig(raw, path)).toThrow(`config ${path}: ${field}: ${problem}`);
};

test("pathMap and machineName pass unchanged", () => {
  const raw = { pathMap: { "{{PROJECTS}}": "/home/me/src" }, machineName: "laptop" };
  expect(validateConfig(raw, path)).toEqual({ ...raw, hosts: {}, projects: {}, toolApprovalRules: [] });
});

test("a bad pathMap is reported with its field", () => {
  fails({ pathMap: [] }, "pathMap", "must be an object");
  fails({ pathMap: { "{{projects}}": "/x" } }, "pathMap", '"{{projects}}" is not a placeholder');
  fails({ pathMap: { "{{P}}": "rel" } }, "pathMap.{{P}}", '"rel" is not an absolute path');
  fails({ pathMap: { "{{P}}": 3 } }, "pathMap.{{P}}", "must be an absolute path");
  fails({ pathMap: { "{{P}}": "/a", "{{Q}}": "/a/" } }, "pathMap", "{{Q}} and {{P}} both map to /a");
});

test("a bad machineName is reported", () => {
  fails({ machineName: "bad name" }, "machineName", "invalid");
  fails({ machineName: "" }, "machineName", "must be a non-empty string");
});

test("machineName defaults to a valid name from the hostname; pathMap gets {{HOME}}", () => {
  expect(machineNameOf({ machineName: "devbox" })).toBe("devbox");
  expect(machineNameOf({})).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
  expect(pathMapOf({ pathMap: { "{{P}}": "/a/" } }, "/home/me")).toEqual({ "{{HOME}}": "/home/me", "{{P}}": "/a" });
});
