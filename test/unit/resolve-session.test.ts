import { expect, test } from "bun:test";
import { resolveSession } from "../../src/core/hosts/resolve-session.ts";

const sessions = [
  { name: "api-fix", host: "devbox", claudeSessionId: "a4b9c0de-1111" },
  { name: "api-docs", host: "local", claudeSessionId: "ffee0000-2222" },
  { name: "web", host: "local", claudeSessionId: null },
  { name: "web", host: "devbox", claudeSessionId: null },
];

test("an exact name on one host wins over prefixes", () => {
  expect(resolveSession(sessions, "api-fix")).toMatchObject({ host: "devbox" });
});

test("a unique prefix of a name or a claude session id is enough", () => {
  expect(resolveSession(sessions, "api-d")).toMatchObject({ name: "api-docs", host: "local" });
  expect(resolveSession(sessions, "a4b9")).toMatchObject({ name: "api-fix" });
});

test("an ambiguous name or prefix lists the candidates and picks nothing", () => {
  expect(() => resolveSession(sessions, "web")).toThrow('"web" names 2 sessions; say which (NAME@HOST, or more of the name):\n  web@local\n  web@devbox');
  expect(() => resolveSession(sessions, "api")).toThrow("  api-fix@devbox\n  api-docs@local");
});

test("--host narrows; an unknown name says so", () => {
  expect(resolveSession(sessions, "web", "devbox")).toMatchObject({ host: "devbox" });
  expect(() => resolveSession(sessions, "nope")).toThrow('no session "nope" on any host');
  expect(() => resolveSession(sessions, "api-docs", "devbox")).toThrow('no session "api-docs" on devbox');
});

test("NAME@HOST names a session on a host, and must agree with --host", async () => {
  const { splitHostQualifier } = await import("../../src/cli/host-routing.ts");
  expect(splitHostQualifier("api@devbox", undefined)).toEqual({ name: "api", host: "devbox" });
  expect(splitHostQualifier("api", "devbox")).toEqual({ name: "api", host: "devbox" });
  expect(splitHostQualifier("api@devbox", "devbox")).toEqual({ name: "api", host: "devbox" });
  expect(() => splitHostQualifier("api@devbox", "other")).toThrow("api@devbox and --host other name different hosts");
  expect(() => splitHostQualifier("api@../x", undefined)).toThrow();
});
