import type { TuiModel } from "../model.ts";
import { keysLabel } from "../keys/bindings.ts";
import { ALL_TABLES } from "../keys/tables.ts";
import { esc, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The help screen, generated from the key tables that drive the handlers: every binding
// of every mode, its keys and what it does. Scrolled by the model's helpScroll.

const KEYS_WIDTH = 18;

export function helpLines(width: number): string[] {
  const lines = [styled("bold", "csm — keys"), paint("gray", "Sessions keep running when you quit; `csm` opens this again.")];
  for (const table of ALL_TABLES) {
    lines.push("", styled("bold", esc(table.title)));
    for (const binding of table.bindings) {
      const keys = keysLabel(binding);
      const textWidth = Math.max(10, width - KEYS_WIDTH - 2);
      const text = wrapText(binding.help, textWidth);
      // A long key list takes its own line, so the help text keeps its column.
      const head = keys.length > KEYS_WIDTH - 1 ? [`  ${styled("bold", esc(keys))}`] : [];
      const first = head.length > 0 ? " ".repeat(KEYS_WIDTH) : styled("bold", esc(keys.padEnd(KEYS_WIDTH)));
      lines.push(...head, ...text.map((row, i) => `  ${i === 0 ? first : " ".repeat(KEYS_WIDTH)}${esc(row)}`));
    }
  }
  return lines.map((line) => truncate(line, width));
}

/** The help in at most `height` lines, from the model's scroll position (clamped). */
export function helpView(model: TuiModel, width: number, height = Infinity): string[] {
  const lines = helpLines(width);
  if (lines.length <= height) return lines;
  const start = Math.min(model.helpScroll, lines.length - height);
  return lines.slice(start, start + height);
}
