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
  expect(() => resolveSession(sessions, "web")).toThrow('"web" names 2 sessions; say which (with --host HOST or more of the name):\n  local:web\n  devbox:web');
  expect(() => resolveSession(sessions, "api")).toThrow("  devbox:api-fix\n  local:api-docs");
});

test("--host narrows; an unknown name says so", () => {
  expect(resolveSession(sessions, "web", "devbox")).toMatchObject({ host: "devbox" });
  expect(() => resolveSession(sessions, "nope")).toThrow('no session "nope" on any host');
  expect(() => resolveSession(sessions, "api-docs", "devbox")).toThrow('no session "api-docs" on devbox');
});
