import { esc, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// Rename (`e` in a session's view): one line, the conversation's new title. The session's
// linked claude writes the title itself (POST /api/conversations/:id/rename), so it shows
// in `csm history` and in claude's own --resume picker.

export interface RenameForm {
  /** The session the conversation belongs to, as the form's heading names it. */
  session: string;
  host: string;
  /** claude's session id: the conversation that gets the title. */
  conversationId: string;
  text: string;
  error: string | null;
  busy: boolean;
}

export const newRenameForm = (session: { name: string; host: string; claudeSessionId: string }): RenameForm => ({
  session: session.name,
  host: session.host,
  conversationId: session.claudeSessionId,
  text: "",
  error: null,
  busy: false,
});

export function renameFormView(form: RenameForm, width: number): string[] {
  const lines = [styled("bold", `Rename ${esc(form.session)}'s conversation`), paint("gray", `conversation ${form.conversationId}`), ""];
  // Wrapped, not cut, with a cell free at the end of the last row for the cursor.
  const rows = wrapText(form.text, Math.max(1, width - 3));
  rows.forEach((row, i) => {
    const text = i === rows.length - 1 ? `${esc(row)}${styled("inverse", " ")}` : esc(row);
    lines.push(`${i === 0 ? "› " : "  "}${text}`);
  });
  lines.push("");
  if (form.error) lines.push(...wrapText(`✗ ${form.error}`, width).map((row) => paint("red", row)));
  lines.push(paint("gray", form.busy ? "renaming…" : "Enter rename · Esc cancel"));
  return lines.map((line) => truncate(line, width));
}
