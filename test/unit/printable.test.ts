import { expect, test } from "bun:test";
import { jsonText } from "../../src/cli/io.ts";
import { graphemes, oneLine, padToWidth, printable, textWidth, truncateToWidth, unjoinEmoji } from "../../src/shared/printable.ts";

// Nothing a terminal would obey may survive: no C0 but (in multi-line text) the newline,
// no DEL, no C1, no bidi override or isolate, no lone surrogate.
const OBEYED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/u;

const hostile: [string, string, string][] = [
  ["OSC 0: the window title", "\x1b]0;pwned\x07", "␛]0;pwned␇"],
  ["OSC 0 ended by ST", "\x1b]0;pwned\x1b\\", "␛]0;pwned␛\\"],
  ["OSC 52: a clipboard write", "\x1b]52;c;cm0gLXJmIH4=\x07", "␛]52;c;cm0gLXJmIH4=␇"],
  ["CSI 2J: clear the screen", "\x1b[2J\x1b[H", "␛[2J␛[H"],
  ["SGR colour", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"],
  ["DCS", "\x1bP1$r0m\x1b\\", "␛P1$r0m␛\\"],
  ["APC, PM and SOS", "\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\", "␛_a␛\\␛^p␛\\␛Xs␛\\"],
  ["a lone ESC", "a\x1b", "a␛"],
  ["8-bit CSI", "\x9b2J", "\\x9b2J"],
  ["8-bit OSC and ST", "\x9d0;t\x9c", "\\x9d0;t\\x9c"],
  ["a right-to-left override", "file\u202Etxt.exe", "file\\u202etxt.exe"],
  ["an isolate", "\u2066x\u2069", "\\u2066x\\u2069"],
  ["NUL", "a\x00b", "a␀b"],
  ["BEL", "ding\x07", "ding␇"],
  ["backspace over text", "rm -rf /\b\b\b\bls", "rm -rf /␈␈␈␈ls"],
  ["a CR that rewrites the line", "safe\revil", "safe␍evil"],
  ["DEL", "a\x7fb", "a␡b"],
  ["a lone high surrogate", "a\ud800b", "a\\ud800b"],
  ["a lone low surrogate", "a\udc00b", "a\\udc00b"],
  ["a tab", "a\tb", "a  b"],
];

for (const [what, input, expected] of hostile) {
  test(`printable shows, never sends: ${what}`, () => {
    const out = printable(input);
    expect(out).toBe(expected);
    expect(OBEYED.test(out)).toBe(false);
    expect(printable(out)).toBe(out);
  });
}

test("a newline: kept where the output spans lines (with CRLF as a newline), shown as ␤ where it must not", () => {
  expect(printable("one\ntwo\r\nthree", { multiline: true })).toBe("one\ntwo\nthree");
  expect(printable("one\ntwo\r\nthree")).toBe("one␤two␍␤three");
  expect(printable("a\rb\n", { multiline: true })).toBe("a␍b\n");
});

test("ordinary text passes unchanged, the very same string", () => {
  for (const text of ["plain", "héllo wörld", "日本語のテキスト", "🎉 ✅ 👨‍👩‍👧 🇫🇷", "e\u0301", "{braces} and \\x1b literally", "\u200f"]) expect(printable(text)).toBe(text);
});

test("oneLine folds whitespace, then makes the rest printable", () => {
  expect(oneLine("  a\x1b[2Jb\n\tc  ")).toBe("a␛[2Jb c");
});

test("a megabyte of hostile text is made printable quickly", () => {
  const chunk = "ok \x1b]0;t\x07 \x9b2J \u202e 日本 🎉\n";
  const big = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
  const started = performance.now();
  const out = printable(big, { multiline: true });
  const elapsed = performance.now() - started;
  expect(OBEYED.test(out)).toBe(false);
  expect(out.split("\n").length).toBe(big.split("\n").length);
  expect(elapsed).toBeLessThan(500);
  const clean = "plain text ".repeat(100_000);
  const quick = performance.now();
  expect(printable(clean)).toBe(clean);
  expect(performance.now() - quick).toBeLessThan(50);
});

test("widths: CJK and emoji take two cells, combining marks none, csm's own symbols one", () => {
  expect(textWidth("日本")).toBe(4);
  expect(textWidth("🎉")).toBe(2);
  expect(textWidth("✅")).toBe(2);
  expect(textWidth("e\u0301")).toBe(1);
  expect(textWidth("★●◆○✗↳⚙")).toBe(7);
  expect(textWidth(printable("\x1b]0;t\x07"))).toBe(6);
});

test("truncateToWidth cuts by cells and never splits a grapheme", () => {
  expect(truncateToWidth("hello world", 8)).toBe("hello w…");
  expect(truncateToWidth("short", 8)).toBe("short");
  expect(truncateToWidth("日本語のテキスト", 7)).toBe("日本語…");
  expect(textWidth(truncateToWidth("日本語のテキスト", 6))).toBeLessThanOrEqual(6);
  expect(truncateToWidth("🎉🎉🎉", 4)).toBe("🎉…");
  expect(truncateToWidth("e\u0301e\u0301e\u0301e\u0301", 3)).toBe("e\u0301e\u0301…");
  expect(truncateToWidth("👨‍👩‍👧 family", 4)).toBe("👨‍👩‍👧 …");
  expect(truncateToWidth("abc", 0)).toBe("");
  expect(truncateToWidth("x".repeat(1_000_000), 5)).toBe("xxxx…");
});

test("padToWidth pads by cells", () => {
  expect(padToWidth("日本", 6)).toBe("日本  ");
  expect(padToWidth("toolong", 3)).toBe("toolong");
});

test("graphemes keep accents and joined emoji whole", () => {
  expect([...graphemes("e\u0301🇫🇷👍🏽")]).toEqual(["e\u0301", "🇫🇷", "👍🏽"]);
  expect([...graphemes("ab")]).toEqual(["a", "b"]);
});

test("unjoinEmoji leaves parts whose widths every terminal agrees on", () => {
  expect(unjoinEmoji("⚠️ 👍🏽 👨‍👩‍👧")).toBe("⚠ 👍 👨👩👧");
  expect(textWidth(unjoinEmoji("⚠️"))).toBe(1);
  expect(unjoinEmoji("plain")).toBe("plain");
});

test("--json: JSON.stringify escapes C0 (ESC too) and lone surrogates but not C1 or bidi; jsonText escapes those as well", () => {
  const value = { text: "\x1b]0;t\x07 \x9b2J \u202e \ud800 日本 🎉" };
  expect(JSON.stringify(value)).toContain("\x9b");
  expect(JSON.stringify(value)).toContain("\u202e");
  expect(JSON.stringify(value)).not.toContain("\x1b");
  const json = jsonText(value, 2);
  expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/u);
  expect(JSON.parse(json)).toEqual(value);
});
