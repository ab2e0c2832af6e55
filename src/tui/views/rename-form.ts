import { esc, paint, styled, truncate } from "./markup.ts";
import { textInputLines } from "./text-input.ts";

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
  lines.push(...textInputLines(form, width, { busy: "renaming…", enter: "rename" }));
  return lines.map((line) => truncate(line, width));
}
