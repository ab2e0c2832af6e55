import blessed from "neo-blessed";
import { textWidth } from "../shared/printable.ts";

// blessed measures characters with its own tables (from 2015): to it "✅" and "🎉" take one
// cell where terminals draw two, so a row holding one overran the screen by a cell. The
// views measure with Bun.stringWidth (src/shared/printable.ts); here blessed is taught the
// same, and is kept from cutting what the views have already fitted.
//
// How blessed draws a wide character: it inserts a \x03 after each match of `chars.all`
// to hold the second cell, and skips that cell when it draws a cell whose `charWidth` is 2.
// A cell is a code point with the combining marks (by blessed's table) that follow it.

interface BlessedUnicode {
  charWidth(text: string | number, at?: number): number;
  combining: Record<number, boolean>;
  chars: { all: RegExp | { [Symbol.replace](content: string, replacement: string): string } };
}

const cellWithFiller = (cell: string) => (textWidth(cell) === 2 ? `${cell}\x03` : cell);

function markWideCells(content: string, unicode: BlessedUnicode): string {
  // Below U+1100 nothing is wide.
  if (!/[^\u0000-\u10ff]/.test(content)) return content;
  let out = "";
  let cell = "";
  for (const char of content) {
    if (cell !== "" && unicode.combining[char.codePointAt(0)!]) {
      cell += char;
      continue;
    }
    out += cellWithFiller(cell);
    cell = char;
  }
  return out + cellWithFiller(cell);
}

let taught = false;

export function teachBlessedWidths(): void {
  if (taught) return;
  taught = true;
  const unicode = (blessed as unknown as { unicode: BlessedUnicode }).unicode;
  const original = unicode.chars.all as RegExp;
  unicode.chars.all = {
    [Symbol.replace]: (content: string, replacement: string) => (replacement === "$1\x03" ? markWideCells(content, unicode) : content.replace(original, replacement)),
  };
  // Called with one cell when drawing, or with a string and an index when measuring.
  unicode.charWidth = (text, at) => textWidth(typeof text === "number" ? String.fromCodePoint(text) : at === undefined ? text : String.fromCodePoint(text.codePointAt(at) ?? 0));
}

/**
 * The width to give the box holding `lines` (each already fitted to `screenWidth` cells).
 * blessed cuts a line (with wrap off) at the box's width counted in UTF-16 units. A
 * character beyond the BMP is two units: an emoji with its \x03 is three for two cells, a
 * flag letter (regional indicator) two for one, a tag character two for none. A row holding
 * such characters would lose as many cells at its end as it has units over cells; a box
 * wider by the most any row has cuts nothing, and the screen itself still ends each row.
 */
export function boxWidthFor(lines: string[], screenWidth: number): number {
  let most = 0;
  for (const line of lines) {
    if (!/[\ud800-\udbff]/.test(line)) continue;
    let over = 0;
    for (const char of line) {
      if (char.length !== 2) continue;
      const cells = textWidth(char);
      over += char.length + (cells === 2 ? 1 : 0) - cells;
    }
    most = Math.max(most, over);
  }
  return screenWidth + most;
}
