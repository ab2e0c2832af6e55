// The text side of a move: what a file may be taken as (complete lines only).

/** The complete lines of a file being written: up to its last newline (a line being written is not taken). */
export function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf("\n") + 1);
}
