import { UnparseableCommand } from "./bash-command.ts";

// Here-documents, as the Bash splitter reads them. The body of `<<'EOF'` (any quoting of
// the delimiter: `<<"EOF"`, `<<\EOF`, `<<E'O'F`) is data: bash expands nothing in it. It
// starts after the newline that ends the line where `<<` was written and runs to the line
// that is exactly the delimiter (`<<-` first strips leading tabs from every line).
//
// An unquoted delimiter makes bash expand `$…`, backticks and `\` in the body, so such a
// body is data only when it has none of those. A body line that starts with the delimiter
// without being it (`EOF)`) is refused: bash versions disagree on where such a body ends
// inside `$(…)`, and a wrong guess would turn data into commands.

export interface HereDocument {
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
  /** Filled in once the line that opened it has ended. */
  body: string | null;
}

/** Reads `doc`'s body from `pos` (the start of a line); returns the position after its delimiter line. */
export function readHereDocumentBody(src: string, pos: number, doc: HereDocument): number {
  let body = "";
  let at = pos;
  for (;;) {
    if (at >= src.length) throw new UnparseableCommand(`the here-document is not ended by a line ${doc.delimiter}`);
    const newline = src.indexOf("\n", at);
    const end = newline === -1 ? src.length : newline;
    const line = doc.stripTabs ? src.slice(at, end).replace(/^\t+/, "") : src.slice(at, end);
    at = end + 1;
    if (line === doc.delimiter) break;
    if (line.startsWith(doc.delimiter)) {
      throw new UnparseableCommand(`a here-document line starts with its delimiter ${doc.delimiter} without being it`);
    }
    body += `${line}\n`;
  }
  if (!doc.quoted && /[$`\\]/.test(body)) {
    throw new UnparseableCommand("here-documents with an unquoted delimiter whose body has $, ` or \\ are not parsed (quote it: <<'EOF')");
  }
  doc.body = body;
  return Math.min(at, src.length);
}

/** What `$(cat <<'EOF' … EOF)` gives: the body without its trailing newlines. */
export function substitutedBody(doc: HereDocument): string {
  return (doc.body ?? "").replace(/\n+$/, "");
}
