import type { Palette } from "../../link/render.ts";
import { esc, styled, type Style } from "./markup.ts";
import { printable } from "../../shared/printable.ts";

// src/link/render.ts renders claude's messages for the bridge pane with a Palette, and
// puts parts of the message (commands, tool input) in its output unstyled. Those parts
// may hold braces or newlines, so the palette cannot emit blessed tags directly: it marks
// styles with private-use characters, and `toMarkupLines` escapes the whole text, splits
// it into lines and turns the marks into tags that open and close on every line.

const OPEN = "\ue000";
const CLOSE = "\ue001";
const STYLES: Style[] = ["gray", "bold", "cyan", "yellow"];

const mark = (style: Style) => (text: string) => `${OPEN}${STYLES.indexOf(style)}${text}${CLOSE}`;

// Accent is bold cyan, as in the pane: palette calls are never nested (see Palette).
export const markupPalette: Palette = { dim: mark("gray"), bold: mark("bold"), accent: (text) => mark("cyan")(mark("bold")(text)), warn: mark("yellow") };

/** Text rendered with `markupPalette` (possibly spanning lines) as lines of markup. */
export function toMarkupLines(rendered: string[]): string[] {
  const lines: string[] = [];
  const open: Style[] = [];
  for (const text of rendered) {
    for (const raw of printable(text, { multiline: true }).split("\n")) {
      let line = "";
      let run = "";
      const flush = () => {
        line += open.reduceRight((inner, style) => styled(style, inner), esc(run));
        run = "";
      };
      for (let i = 0; i < raw.length; i++) {
        const char = raw[i]!;
        if (char === OPEN) {
          flush();
          open.push(STYLES[Number(raw[++i])] ?? "bold");
        } else if (char === CLOSE) {
          flush();
          open.pop();
        } else {
          run += char;
        }
      }
      flush();
      lines.push(line);
    }
    open.length = 0;
  }
  return lines;
}
