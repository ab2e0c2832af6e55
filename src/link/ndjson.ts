// Newline-delimited JSON, the framing of claude's stream-json in both directions.
// Pure: bytes or text in, parsed frames out; the caller owns the pipes and sockets.

export type DecodedLine = { ok: true; value: unknown } | { ok: false; line: string; error: string };

/**
 * Turns chunks, split anywhere (even inside a multi-byte character), into parsed lines.
 * A line that is not JSON comes back as `{ ok: false }` so the caller can log it: dropping it
 * silently would hide a protocol change in claude.
 */
export class NdjsonDecoder {
  // `stream: true` keeps an incomplete UTF-8 sequence back until its next bytes arrive.
  private readonly utf8 = new TextDecoder("utf-8");
  private pending = "";

  /** Text chunks are taken as whole characters; do not interleave them with a byte chunk cut mid-character. */
  push(chunk: Uint8Array | string): DecodedLine[] {
    this.pending += typeof chunk === "string" ? chunk : this.utf8.decode(chunk, { stream: true });
    const complete = this.pending.lastIndexOf("\n");
    if (complete < 0) return [];
    const lines = this.pending.slice(0, complete).split("\n");
    this.pending = this.pending.slice(complete + 1);
    return decodeLines(lines);
  }

  /** At end of input: a last line without its newline still counts. */
  end(): DecodedLine[] {
    const rest = this.pending + this.utf8.decode();
    this.pending = "";
    return decodeLines([rest]);
  }
}

function decodeLines(lines: string[]): DecodedLine[] {
  const decoded: DecodedLine[] = [];
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    try {
      decoded.push({ ok: true, value: JSON.parse(line) });
    } catch (error) {
      decoded.push({ ok: false, line, error: (error as Error).message });
    }
  }
  return decoded;
}

/** Every decoded line of a byte or text stream, in order, including the unterminated last one. */
export async function* decodeNdjsonStream(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<DecodedLine> {
  const decoder = new NdjsonDecoder();
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.end();
}

/**
 * One frame: the JSON text and its terminating "\n". Claude glues a frame without the newline
 * to the next one and exits on the parse error. JSON.stringify escapes newlines inside strings,
 * so the frame is always exactly one line.
 */
export function encodeFrame(message: unknown): string {
  const json = JSON.stringify(message);
  if (json === undefined) throw new TypeError("cannot encode an NDJSON frame from undefined or a function");
  return `${json}\n`;
}
