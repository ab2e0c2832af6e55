import { esc, paint, styled } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The one-line text input of the message and rename forms: the text wrapped (not cut, so a
// person reads back all of it) with the cursor in a cell kept free at the end, then the
// error if any, then what Enter does (or that it is being done).

export interface TextInput {
  text: string;
  error: string | null;
  busy: boolean;
}

export function textInputLines(input: TextInput, width: number, labels: { busy: string; enter: string }): string[] {
  const lines: string[] = [];
  const rows = wrapText(input.text, Math.max(1, width - 3));
  rows.forEach((row, i) => {
    const text = i === rows.length - 1 ? `${esc(row)}${styled("inverse", " ")}` : esc(row);
    lines.push(`${i === 0 ? "› " : "  "}${text}`);
  });
  lines.push("");
  if (input.error) lines.push(...wrapText(`✗ ${input.error}`, width).map((row) => paint("red", row)));
  lines.push(paint("gray", input.busy ? labels.busy : `Enter ${labels.enter} · Esc cancel`));
  return lines;
}
