import { expect, test } from "bun:test";
import { completeLines } from "../../src/core/carry/move-text.ts";
import { completePathMap, fromPortable, toPortable, type PathMap } from "../../src/core/carry/path-map.ts";

const map = completePathMap({ "{{PROJECTS}}": "/Users/me/src", "{{WORK}}": "/Users/me/src/work" }, "/Users/me");

/** The rule spelled out, one character at a time: the oracle toPortable's regex is checked against. */
function byCharacter(text: string, paths: PathMap): string {
  const entries = Object.entries(paths).sort(([, a], [, b]) => b.length - a.length);
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("{{", i)) {
      out += "{{{{";
      i += 2;
      continue;
    }
    const hit = entries.find(([, path]) => text.startsWith(path, i) && !/[A-Za-z0-9._-]/.test(text[i + path.length] ?? ""));
    if (hit) {
      out += hit[0];
      i += hit[1].length;
    } else out += text[i++];
  }
  return out;
}

test.each([
  "cd /Users/me/src/app && ls /Users/me/srcs /Users/me",
  "{{PROJECTS}} is literal, so is {{{{ and {{ and }} and {{HOME}}/x",
  "/Users/me/src/work/a /Users/me/src/workers /Users/me/src.bak /Users/me/src/",
  '{"cwd":"/Users/me/src/app","text":"\\"/Users/me\\" {{X}}"}\n',
  "",
  "/Users/me/src/work",
])("toPortable follows the rule, and round trips: %p", (text) => {
  expect(toPortable(text, map)).toBe(byCharacter(text, map));
  expect(fromPortable(toPortable(text, map), map)).toBe(text);
});

test("complete lines stop at the last newline", () => {
  expect(completeLines('{"a":1}\n{"b":')).toBe('{"a":1}\n');
  expect(completeLines('{"a":1}\n')).toBe('{"a":1}\n');
  expect(completeLines('{"a":')).toBe("");
});
