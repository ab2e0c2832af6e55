import { graphemes, printable, textWidth, unjoinEmoji } from "../../shared/printable.ts";

// The one markup every view returns: blessed tags. A line is a string in which `{name}`
// opens a style, `{/name}` closes it and `{/}` closes them all; every literal brace is
// written `{open}` / `{close}` (blessed's own escapes). So a view escapes ALL text it did
// not write itself with `esc`, and any `{…}` left in a line is a tag. `esc` also makes the
// text printable (a line is one line: a newline shows as ␤) and splits joined emoji, whose
// width terminals disagree on (see unjoinEmoji), so what a view measures is what is drawn.
//
// The screen gives these lines to blessed with `tags: true`. Under NO_COLOR it passes
// them through `withoutColour` (bold and inverse stay, so the selection still shows).
// Tests and any non-blessed output use `plainText`.

export type Colour = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "gray";
export type Style = Colour | "bold" | "inverse" | "underline";

const TAG = /\{(\/?)([\w\-,;!#]*)\}/g;

const escBraces = (text: string) => text.replace(/[{}]/g, (brace) => (brace === "{" ? "{open}" : "{close}"));

export function esc(text: string): string {
  return escBraces(unjoinEmoji(printable(text)));
}

const tagName = (style: Style) => (style === "bold" || style === "inverse" || style === "underline" ? style : `${style}-fg`);

/** Wraps markup (already escaped) in a style. */
export function styled(style: Style, markup: string): string {
  if (markup === "") return "";
  const name = tagName(style);
  return `{${name}}${markup}{/${name}}`;
}

/** Escapes plain text and styles it: the usual way to put foreign text in a line. */
export const paint = (style: Style, text: string) => styled(style, esc(text));

interface Token {
  tag: boolean;
  text: string;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const match of line.matchAll(TAG)) {
    if (match.index > last) out.push({ tag: false, text: line.slice(last, match.index) });
    const name = match[2];
    if (match[1] === "" && name === "open") out.push({ tag: false, text: "{" });
    else if (match[1] === "" && name === "close") out.push({ tag: false, text: "}" });
    else out.push({ tag: true, text: match[0] });
    last = match.index + match[0].length;
  }
  if (last < line.length) out.push({ tag: false, text: line.slice(last) });
  return out;
}

/** The text a person sees: tags gone, escapes undone. */
export function plainText(line: string): string {
  return tokens(line)
    .filter((token) => !token.tag)
    .map((token) => token.text)
    .join("");
}

/** For NO_COLOR: colour tags go, attributes (bold, inverse, underline) and escapes stay. */
export function withoutColour(line: string): string {
  return line.replace(TAG, (tag, _slash: string, name: string) => (/-(fg|bg)$/.test(name) ? "" : tag));
}

/** Every style and colour tag gone, the {open}/{close} escapes kept: for a line that is styled whole. */
export function withoutStyles(line: string): string {
  return line.replace(TAG, (tag, _slash: string, name: string) => (name === "open" || name === "close" ? tag : ""));
}

export const visibleWidth = (line: string) => textWidth(plainText(line));

/** Cuts a line to `width` cells, ending it with "…" when something was cut; open tags are closed. */
export function truncate(line: string, width: number): string {
  if (visibleWidth(line) <= width) return line;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  const open: string[] = [];
  for (const token of tokens(line)) {
    if (token.tag) {
      out += token.text;
      const [, slash, name] = /^\{(\/?)(.*)\}$/.exec(token.text)!;
      if (!slash) open.push(name!);
      else if (name === "") open.length = 0;
      else if (open.lastIndexOf(name!) >= 0) open.splice(open.lastIndexOf(name!), 1);
      continue;
    }
    // The text of a line is escaped already: only its braces need escaping again.
    for (const char of graphemes(token.text)) {
      const w = textWidth(char);
      if (used + w > width - 1) return `${out}…${open.reverse().map((name) => `{/${name}}`).join("")}`;
      out += escBraces(char);
      used += w;
    }
  }
  return out;
}

/** Exactly `width` cells: cut with "…" or padded with spaces. */
export function fit(line: string, width: number): string {
  const cut = truncate(line, width);
  return cut + " ".repeat(Math.max(0, width - visibleWidth(cut)));
}

export function padStart(line: string, width: number): string {
  const cut = truncate(line, width);
  return " ".repeat(Math.max(0, width - visibleWidth(cut))) + cut;
}
