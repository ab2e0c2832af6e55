import { esc, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// Send message (`m`): one line of text for the selected session's claude.

export interface MessageForm {
  session: string;
  text: string;
  error: string | null;
  busy: boolean;
}

export const newMessageForm = (session: string): MessageForm => ({ session, text: "", error: null, busy: false });

export function messageFormView(form: MessageForm, width: number): string[] {
  const lines = [styled("bold", `Message to ${esc(form.session)}`), ""];
  // Wrapped, not cut: the person reads back the whole message before sending it.
  // One cell is kept free at the end of every row for the cursor.
  const rows = wrapText(form.text, Math.max(1, width - 3));
  rows.forEach((row, i) => {
    const text = i === rows.length - 1 ? `${esc(row)}${styled("inverse", " ")}` : esc(row);
    lines.push(`${i === 0 ? "› " : "  "}${text}`);
  });
  lines.push("");
  if (form.error) lines.push(...wrapText(`✗ ${form.error}`, width).map((row) => paint("red", row)));
  lines.push(paint("gray", form.busy ? "sending…" : "Enter send · Esc cancel"));
  return lines.map((line) => truncate(line, width));
}
