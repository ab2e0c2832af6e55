// How many terminal cells text takes, and how to make arbitrary text safe to print.
//
// Widths follow the common terminal rule: East Asian wide and fullwidth characters and
// emoji take 2 cells, combining marks 0, everything else 1. Ambiguous-width symbols
// csm itself prints (★ ● ◆ ○ ✗ ↑ ↓ ⏎ …) are counted as 1, as Western-locale terminals
// draw them. The blessed screen must be created with `fullUnicode: true` to agree.

const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const ZERO: [number, number][] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0xfe00, 0xfe0f],
];

const within = (ranges: [number, number][], cp: number) => ranges.some(([from, to]) => cp >= from && cp <= to);

export function charWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (within(ZERO, cp)) return 0;
  return within(WIDE, cp) ? 2 : 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/**
 * Text from claude, git or a person, made printable: tabs become two spaces and other
 * control characters (an ESC would let a message repaint the screen) a visible U+FFFD.
 * Newlines are kept; callers decide whether the text is one line or several.
 */
export function printable(text: string): string {
  return text.replace(/\t/g, "  ").replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "\ufffd");
}

/** One line of text for a table cell: every run of whitespace (newlines too) is one space. */
export function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, " ").trim());
}
