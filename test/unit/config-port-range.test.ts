import { expect, test } from "bun:test";
import { validateConfig } from "../../src/config/schema.ts";

test("portRange and teardownScript are checked like the fields beside them", () => {
  expect(validateConfig({ portRange: { from: 30000, to: 30009 } }, "c.json").portRange).toEqual({ from: 30000, to: 30009 });
  expect(() => validateConfig({ portRange: { from: 30000, to: 30008 } }, "c.json")).toThrow("portRange");
  expect(() => validateConfig({ portRange: { from: 30000 } }, "c.json")).toThrow("portRange.to");
  expect(() => validateConfig({ portRange: { from: 0, to: 10 } }, "c.json")).toThrow("portRange.from");
  expect(validateConfig({ projects: { app: { repo: "/r", teardownScript: ["make", "down"] } } }, "c.json").projects.app!.teardownScript).toEqual(["make", "down"]);
  expect(() => validateConfig({ projects: { app: { repo: "/r", teardownScript: 3 } } }, "c.json")).toThrow("teardownScript");
});
