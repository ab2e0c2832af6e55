// tmux control mode (`tmux -C`), the pure part: a command is one line on the client's
// stdin; its reply is a block of lines between "%begin TIME NUMBER FLAGS" and "%end …"
// (or "%error …") with the same three fields. Lines starting with % outside a block are
// notifications, e.g. %exit when tmux detaches the client.
//
// FLAGS is 1 only for commands this client sent on stdin: tmux also wraps commands that
// it runs for the client on its own (the attach itself, hooks) in blocks, with FLAGS 0.
// Replies are matched to commands in order, counting only FLAGS 1 blocks.

export type ControlEvent = { kind: "reply"; ok: boolean; lines: string[] } | { kind: "notification"; line: string };

interface OpenBlock {
  fields: string;
  lines: string[];
}

/** Splits tmux's control-mode output, as it arrives, into replies and notifications. */
export class ControlReader {
  private partial = "";
  private block: OpenBlock | null = null;

  push(chunk: string): ControlEvent[] {
    const text = this.partial + chunk;
    const lines = text.split("\n");
    this.partial = lines.pop()!;
    const events: ControlEvent[] = [];
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ControlEvent | null {
    if (this.block) {
      const { fields, lines } = this.block;
      if (line === `%end ${fields}` || line === `%error ${fields}`) {
        this.block = null;
        // Only our own commands' blocks are replies; the rest close silently.
        return fields.endsWith(" 1") ? { kind: "reply", ok: line.startsWith("%end"), lines } : null;
      }
      lines.push(line);
      return null;
    }
    if (line.startsWith("%begin ")) {
      this.block = { fields: line.slice("%begin ".length), lines: [] };
      return null;
    }
    return line.startsWith("%") ? { kind: "notification", line } : null;
  }
}

/**
 * One command line for a control client. tmux parses it with its own command syntax, so
 * each argument goes in single quotes, where nothing is special; an argument that could
 * end the quote or the line is refused, not escaped: csm sends only its own fixed queries
 * this way, and anything else reaching here is a bug.
 */
export function controlCommandLine(args: readonly string[]): string {
  if (args.length === 0) throw new Error("tmux control: empty command");
  for (const arg of args) {
    // eslint-disable-next-line no-control-regex
    if (/['\u0000-\u001f\u007f]/.test(arg)) throw new Error(`tmux control: refusing an argument with a quote or control character: ${JSON.stringify(arg)}`);
  }
  return `${args.map((arg) => `'${arg}'`).join(" ")}\n`;
}
