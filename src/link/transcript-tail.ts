// Follows one claude transcript as claude appends to it: each poll reads only the bytes
// added since the last one (never the whole file again) and returns the complete new
// records; a half-written last line waits for its newline. The native supervisor forwards
// what it reads, so the hub learns model, replies and tool calls as claude writes them.

export type ReadFrom = (path: string, offset: number) => Uint8Array | null;

/** Transcript records the hub folds and shows; the rest (snapshots, titles, attachments) stay in the file. */
const FORWARDED = new Set(["user", "assistant"]);

export class TranscriptTail {
  private offset = 0;
  private partial: Uint8Array = new Uint8Array(0);
  private readonly decoder = new TextDecoder();

  constructor(
    readonly path: string,
    private readonly read: ReadFrom,
    /** Where to start: the file's size when a resumed conversation's earlier records are not news. */
    startAt = 0,
  ) {
    this.offset = startAt;
  }

  /** The complete records added since the last poll, in order. */
  poll(): Record<string, unknown>[] {
    const added = this.read(this.path, this.offset);
    if (!added || added.length === 0) return [];
    this.offset += added.length;
    const bytes = this.partial.length === 0 ? added : concat(this.partial, added);
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) {
      this.partial = bytes;
      return [];
    }
    this.partial = bytes.slice(end + 1);
    const records: Record<string, unknown>[] = [];
    for (const line of this.decoder.decode(bytes.subarray(0, end)).split("\n")) {
      if (line === "") continue;
      try {
        const record = JSON.parse(line) as unknown;
        if (typeof record === "object" && record !== null && FORWARDED.has((record as { type?: string }).type ?? "")) records.push(record as Record<string, unknown>);
      } catch {
        // A line claude did not finish writing before it was killed: nothing to forward.
      }
    }
    return records;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** A transcript record as the frame the hub stores: claude's own message shape, marked as read from the file. */
export function transcriptFrame(record: Record<string, unknown>): Record<string, unknown> {
  return {
    type: record.type,
    message: record.message,
    uuid: record.uuid,
    session_id: record.sessionId,
    parent_tool_use_id: null,
    csm_from_transcript: true,
  };
}
