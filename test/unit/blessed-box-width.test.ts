import { expect, test } from "bun:test";
import { boxWidthFor } from "../../src/tui/blessed-widths.ts";

// blessed cuts a row at the box's width in UTF-16 units: the box is widened by what the
// widest row has in units over cells, so no row loses its end (or its "…").

test("a row's characters beyond the BMP widen the box by their units over cells", () => {
  expect(boxWidthFor(["plain text", "é ñ 中文"], 80)).toBe(80);
  // Two emoji: two units and a filler for two cells each, one over.
  expect(boxWidthFor(["ok 🎉 ✅ done 🚀"], 80)).toBe(82);
  // Flag letters: two units for one cell each (a review saw a row lose its end and its ellipsis).
  expect(boxWidthFor(["flags 🇯🇵 🇫🇷 …"], 80)).toBe(84);
  // A tag character: two units for no cell.
  expect(boxWidthFor(["tag \u{E0041}x"], 80)).toBe(82);
  // The widest row counts.
  expect(boxWidthFor(["🎉", "🇯🇵🇯🇵"], 60)).toBe(64);
});
