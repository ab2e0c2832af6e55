// Text csm did not write (claude's replies, tool output, transcripts, git, remote hosts)
// made safe to print, and measured in terminal cells.
//
// A terminal obeys control characters: ESC starts sequences that set the window title
// (OSC 0), write the clipboard (OSC 52), clear the screen (CSI 2J) or reprogram keys; the
// 8-bit C1 codes (U+009B is CSI) do the same on some terminals; CR and backspace overwrite
// what was printed; bidi overrides reorder what follows. So every control is shown, never
// sent. Escaping the character that starts a sequence is enough to defuse it, so sequences
// are not parsed: `ESC ] 0 ; t BEL` prints as `␛]0;t␇`, its body plain to read.
//
// The convention:
// - C0 controls and DEL: their Unicode Control Pictures, one cell each (␀ ␇ ␈ ␛ ␍ ␡ …);
// - C1 controls U+0080–U+009F: `\x9b`;
// - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and lone
//   surrogates: `\u202e`, `\ud800`;
// - a tab: two spaces; a newline: kept where the output may span lines (`multiline`),
//   else `␤`; in multi-line text a CR that ends a line (CRLF) is dropped.
// Output holds none of these characters, so printing it twice changes nothing.

export interface PrintableOptions {
  /** Keep newlines (and drop the CR of CRLF): the output may span lines. */
  multiline?: boolean;
}

const UNSAFE = /\r\n|[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "gu");

const hex = (code: number, digits: number) => code.toString(16).padStart(digits, "0");

function shown(char: string, multiline: boolean): string {
  if (char === "\r\n") return multiline ? "\n" : "␍␤";
  if (char === "\n") return multiline ? "\n" : "␤";
  if (char === "\t") return "  ";
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "␡";
  if (code <= 0x9f) return `\\x${hex(code, 2)}`;
  return `\\u${hex(code, 4)}`;
}

/** `text` with every control character and escape sequence shown instead of obeyed. */
export function printable(text: string, options: PrintableOptions = {}): string {
  if (!UNSAFE.test(text)) return text;
  const multiline = options.multiline === true;
  return text.replace(UNSAFE_ALL, (char) => shown(char, multiline));
}

/** One line for a table cell or a status: every run of whitespace (newlines too) is one space. */
export function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, " ").trim());
}

// Terminals agree on the width of one code point, not on joined emoji: tmux 3.3 draws
// "⚠️" (with U+FE0F) in one cell and "👍🏽" in four, where others draw two. A grid that
// redraws only what changed (the dashboard) goes wrong when it guesses differently from
// the terminal, so there emoji are drawn as their parts, whose widths everyone agrees on.
const JOINERS = /[\u200d\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/u;
const JOINERS_ALL = new RegExp(JOINERS.source, "gu");

/** Emoji sequences split into their parts: no joiner, variation selector or skin tone. */
export function unjoinEmoji(text: string): string {
  return JOINERS.test(text) ? text.replace(JOINERS_ALL, "") : text;
}

/**
 * Terminal cells `text` takes: wide (CJK, emoji) 2, combining marks 0. Ambiguous-width
 * symbols csm prints itself (★ ● ◆ ↳ …) count 1, as Western-locale terminals draw them.
 * For printable text: Bun skips ANSI sequences, so raw foreign text would measure short.
 */
export const textWidth = (text: string): number => Bun.stringWidth(text);

let segmenter: Intl.Segmenter | undefined;

/** What a person sees as one character: a letter with its accents, a whole emoji. */
export function graphemes(text: string): Iterable<string> {
  // Plain ASCII is one grapheme per character, and far cheaper to split.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return (function* () {
    for (const part of segmenter!.segment(text)) yield part.segment;
  })();
}

/** At most `width` cells, ending with `ellipsis` when something was cut; never splits a grapheme. */
export function truncateToWidth(text: string, width: number, ellipsis = "…"): string {
  if (textWidth(text) <= width) return text;
  const room = width - textWidth(ellipsis);
  if (room < 0) return "";
  let out = "";
  let used = 0;
  for (const grapheme of graphemes(text)) {
    const w = textWidth(grapheme);
    if (used + w > room) break;
    out += grapheme;
    used += w;
  }
  return out + ellipsis;
}

/** `text` followed by spaces up to `width` cells (never cut). */
export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - textWidth(text)));
}
