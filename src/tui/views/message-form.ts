import { esc, styled, truncate } from "./markup.ts";
import { textInputLines } from "./text-input.ts";

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
  lines.push(...textInputLines(form, width, { busy: "sending…", enter: "send" }));
  return lines.map((line) => truncate(line, width));
}
