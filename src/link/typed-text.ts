// A message csm types into claude's own input (a native session) goes in as one bracketed
// paste. Inside a paste every byte is text to claude, except the sequence that ends the
// paste: a message holding it, or any other escape sequence, could type keys. So control
// characters other than newline and tab become their visible symbols (ESC → ␛) before the
// paste, and carriage returns become newlines.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g;

export function pasteableText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return "\ufffd";
  });
}

/** A one-line argument for a slash command (`/rename TITLE`): no line breaks, no controls. */
export const oneLine = (text: string) => pasteableText(text).replace(/\s*\n\s*/g, " ").trim();
