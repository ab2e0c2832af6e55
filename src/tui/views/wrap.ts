import { graphemes, printable, textWidth, unjoinEmoji } from "../../shared/printable.ts";

// Word wrap that loses no visible character: a line breaks after a space, and a word
// longer than the width is split across lines. A command a person approves must be shown
// whole. Only spaces at a line break that would pass the width are dropped; while they
// fit they stay at the end of the line, so joining the lines of a paragraph usually gives
// back the paragraph exactly.

function splitLong(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let used = 0;
  for (const char of graphemes(word)) {
    const w = textWidth(char);
    if (used + w > width && piece !== "") {
      pieces.push(piece);
      piece = "";
      used = 0;
    }
    piece += char;
    used += w;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

function withinWidth(line: string, width: number): string {
  let out = line;
  while (textWidth(out) > width && out.endsWith(" ")) out = out.slice(0, -1);
  return out;
}

function wrapParagraph(paragraph: string, width: number): string[] {
  if (paragraph === "") return [""];
  const lines: string[] = [];
  let line = "";
  // Each word keeps the spaces that follow it.
  for (const word of paragraph.match(/\S+\s*|\s+/g) ?? []) {
    const visible = word.trimEnd();
    if (textWidth(line + visible) <= width) {
      line += word;
      continue;
    }
    if (line !== "") lines.push(withinWidth(line, width));
    line = "";
    const pieces = splitLong(visible, width);
    lines.push(...pieces.slice(0, -1));
    line = (pieces.at(-1) ?? "") + word.slice(visible.length);
  }
  if (line !== "") lines.push(withinWidth(line, width));
  return lines;
}

/** Plain text (not markup) in lines of at most `width` cells, made printable first so it is measured as drawn. */
export function wrapText(text: string, width: number): string[] {
  const cells = Math.max(1, width);
  return unjoinEmoji(printable(text, { multiline: true }))
    .split("\n")
    .flatMap((paragraph) => wrapParagraph(paragraph, cells));
}
