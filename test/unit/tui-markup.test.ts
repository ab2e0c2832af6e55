import { expect, test } from "bun:test";
import { esc, fit, paint, plainText, styled, truncate, visibleWidth, withoutColour } from "../../src/tui/views/markup.ts";
import { markupPalette, toMarkupLines } from "../../src/tui/views/render-palette.ts";
import { oneLine, textWidth } from "../../src/shared/printable.ts";
import { wrapText } from "../../src/tui/views/wrap.ts";

test("literal braces are escaped, so text from claude never becomes a tag", () => {
  const line = paint("green", 'echo {"a": 1} {bold}');
  expect(line).toBe('{green-fg}echo {open}"a": 1{close} {open}bold{close}{/green-fg}');
  expect(plainText(line)).toBe('echo {"a": 1} {bold}');
});

test("NO_COLOR drops colours but keeps bold and inverse (the selection) and the escapes", () => {
  const line = styled("inverse", `${paint("red", "✗ dead")} ${styled("bold", esc("{x}"))}`);
  expect(withoutColour(line)).toBe("{inverse}✗ dead {bold}{open}x{close}{/bold}{/inverse}");
});

test("widths: ★ and the status glyphs are one cell, CJK and emoji two, combining marks none", () => {
  expect(textWidth("★●◆○✗?")).toBe(6);
  expect(textWidth("日本")).toBe(4);
  expect(textWidth("🎉")).toBe(2);
  expect(textWidth("é")).toBe(1);
});

test("truncate cuts by visible width, ends with …, and closes the tags it cut through", () => {
  const line = `${paint("cyan", "abcdefgh")} tail`;
  const cut = truncate(line, 5);
  expect(plainText(cut)).toBe("abcd…");
  expect(cut).toBe("{cyan-fg}abcd…{/cyan-fg}");
  expect(visibleWidth(truncate("日本語のテキスト", 5))).toBeLessThanOrEqual(5);
  expect(visibleWidth(fit("ab", 6))).toBe(6);
});

test("control characters cannot reach the terminal: every escaped text is made printable", () => {
  expect(oneLine("a\x1b[2Jb\n\tc")).toBe("a␛[2Jb c");
  expect(esc("a\x1b]0;t\x07{x}\nb")).toBe("a␛]0;t␇{open}x{close}␤b");
  expect(wrapText("a\x1b[2J\r\nb", 20)).toEqual(["a␛[2J", "b"]);
});

test("joined emoji are drawn as their parts, so the width measured is the width drawn", () => {
  expect(plainText(esc("ok ⚠️ 👍🏽"))).toBe("ok ⚠ 👍");
  expect(visibleWidth(fit(esc("日本🎉✅ x"), 10))).toBe(10);
  expect(visibleWidth(truncate(esc("🎉🎉🎉🎉"), 5))).toBe(5);
});

test("wrap keeps every character of a long command, splitting words longer than the width", () => {
  const command = "git commit -m 'fix: the flaky test' && ./scripts/deploy-to-production-with-a-very-long-name.sh --yes";
  const lines = wrapText(command, 20);
  for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(20);
  expect(lines.join("")).toBe(command);
});

test("wrap keeps the lines of a multi-line text", () => {
  expect(wrapText("one\ntwo three", 5)).toEqual(["one", "two ", "three"]);
});

test("the bridge's renderer, through the markup palette: styles per line, braces escaped", () => {
  const lines = toMarkupLines([`${markupPalette.accent("claude")} first {line}\nsecond`, markupPalette.dim("quiet")]);
  expect(lines).toEqual(["{cyan-fg}{bold}claude{/bold}{/cyan-fg} first {open}line{close}", "second", "{gray-fg}quiet{/gray-fg}"]);
});
