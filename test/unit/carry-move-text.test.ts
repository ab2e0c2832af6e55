import { expect, test } from "bun:test";
import { completeLines, portableText } from "../../src/core/carry/move-text.ts";
import { completePathMap, fromPortable, toPortable } from "../../src/core/carry/path-map.ts";

const map = completePathMap({ "{{PROJECTS}}": "/Users/me/src", "{{WORK}}": "/Users/me/src/work" }, "/Users/me");

test.each([
  "cd /Users/me/src/app && ls /Users/me/srcs /Users/me",
  "{{PROJECTS}} is literal, so is {{{{ and {{ and }} and {{HOME}}/x",
  "/Users/me/src/work/a /Users/me/src/workers /Users/me/src.bak /Users/me/src/",
  '{"cwd":"/Users/me/src/app","text":"\\"/Users/me\\" {{X}}"}\n',
  "",
  "/Users/me/src/work",
])("portableText is toPortable, and round trips: %p", (text) => {
  expect(portableText(text, map)).toBe(toPortable(text, map));
  expect(fromPortable(portableText(text, map), map)).toBe(text);
});

test("complete lines stop at the last newline", () => {
  expect(completeLines('{"a":1}\n{"b":')).toBe('{"a":1}\n');
  expect(completeLines('{"a":1}\n')).toBe('{"a":1}\n');
  expect(completeLines('{"a":')).toBe("");
});
