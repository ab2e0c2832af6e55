import { describe, expect, test } from "bun:test";
import { completePathMap, fromPortable, missingPlaceholders, PathMapError, projectSlug, toPortable } from "../../src/core/carry/path-map.ts";

// Paths carried between machines: placeholders out, the other machine's paths in, and a
// byte-exact round trip whatever the text holds.

const laptop = completePathMap({ "{{PROJECTS}}": "/Users/me/src" }, "/Users/me");
const devbox = completePathMap({ "{{PROJECTS}}": "/home/me/src/" }, "/home/me");

describe("toPortable / fromPortable", () => {
  test("mapped paths become the other machine's, the longest path first", () => {
    const line = JSON.stringify({ cwd: "/Users/me/src/app", message: "see /Users/me/notes.md and /Users/me/src/app/a.ts" });
    const portable = toPortable(line, laptop);
    expect(portable).toBe(JSON.stringify({ cwd: "{{PROJECTS}}/app", message: "see {{HOME}}/notes.md and {{PROJECTS}}/app/a.ts" }));
    expect(fromPortable(portable, devbox)).toBe(JSON.stringify({ cwd: "/home/me/src/app", message: "see /home/me/notes.md and /home/me/src/app/a.ts" }));
  });

  test("a path is only replaced as a whole path segment", () => {
    expect(toPortable("/Users/me/srcs /Users/me/src-old /Users/me/src", laptop)).toBe("{{HOME}}/srcs {{HOME}}/src-old {{PROJECTS}}");
  });

  test.each([
    "a literal {{PROJECTS}} in a message",
    "{{{{ and }} and {{{ and {{HOME}}/x and {{ at the end {{",
    "/Users/me/src{{HOME}}",
    "{{not a placeholder}} {{lower}} {{A}}",
    "emoji 🧪 and \u202e bidi and \x1b[31m escapes /Users/me/src",
    "",
  ])("round trip is byte-exact: %j", (text) => {
    expect(fromPortable(toPortable(text, laptop), laptop)).toBe(text);
  });

  test("an unknown placeholder is an error naming it, found before writing anything", () => {
    const portable = "{{WORK}}/x and {{HOME}}";
    expect(missingPlaceholders(portable, devbox)).toEqual(["{{WORK}}"]);
    expect(() => fromPortable(portable, devbox)).toThrow("{{WORK}} is not in this machine's pathMap");
    expect(missingPlaceholders(toPortable("{{WORK}} literal", laptop), devbox)).toEqual([]);
  });
});

describe("completePathMap", () => {
  test.each([
    [{ "{{lower}}": "/x" }, "is not a placeholder"],
    [{ "{{X}}": "relative/path" }, "is not an absolute path"],
    [{ "{{X}}": "/Users/me" }, "both map to /Users/me"],
  ])("%j is refused", (map, message) => {
    expect(() => completePathMap(map as Record<string, string>, "/Users/me")).toThrow(PathMapError);
    expect(() => completePathMap(map as Record<string, string>, "/Users/me")).toThrow(message);
  });
});

test("projectSlug is claude's: every non-alphanumeric a dash, long ones cut and hashed", () => {
  expect(projectSlug("/home/me/src/my app.v2")).toBe("-home-me-src-my-app-v2");
  const long = `/home/me/${"deep/".repeat(50)}x`;
  const slug = projectSlug(long);
  expect(slug.length).toBeGreaterThan(200);
  expect(slug.slice(0, 200)).toBe(long.replace(/[^a-zA-Z0-9]/g, "-").slice(0, 200));
  expect(slug).toMatch(/^.{200}-[0-9a-z]+$/);
});
