import { describe, expect, test } from "bun:test";
import { decodeNdjsonStream, encodeFrame, NdjsonDecoder, type DecodedLine } from "../../src/link/ndjson.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const values = (lines: DecodedLine[]) => lines.map((line) => (line.ok ? line.value : { malformed: line.line }));

describe("NdjsonDecoder", () => {
  test("a chunk with several lines gives each of them, in order", () => {
    const decoder = new NdjsonDecoder();
    expect(values(decoder.push(bytes('{"a":1}\n{"b":2}\n[3]\n')))).toEqual([{ a: 1 }, { b: 2 }, [3]]);
  });

  test("a line split across chunks comes out once it is complete", () => {
    const decoder = new NdjsonDecoder();
    expect(decoder.push(bytes('{"type":"us'))).toEqual([]);
    expect(decoder.push(bytes('er","n":'))).toEqual([]);
    expect(values(decoder.push(bytes('1}\n{"next"')))).toEqual([{ type: "user", n: 1 }]);
    expect(values(decoder.push(bytes(":true}\n")))).toEqual([{ next: true }]);
  });

  test("a multi-byte character cut between chunks survives, at every cut point", () => {
    const line = '{"text":"héllo wörld ✓ 🎉 日本"}\n';
    const encoded = bytes(line);
    for (let cut = 1; cut < encoded.length; cut++) {
      const decoder = new NdjsonDecoder();
      const lines = [...decoder.push(encoded.slice(0, cut)), ...decoder.push(encoded.slice(cut))];
      expect(values(lines)).toEqual([{ text: "héllo wörld ✓ 🎉 日本" }]);
    }
  });

  test("one byte at a time works too", () => {
    const decoder = new NdjsonDecoder();
    const lines = [...bytes('{"a":"ü"}\n\n{"b":"€"}\n')].flatMap((byte) => decoder.push(Uint8Array.of(byte)));
    expect(values(lines)).toEqual([{ a: "ü" }, { b: "€" }]);
  });

  test("blank and whitespace-only lines are skipped; CRLF endings are accepted", () => {
    const decoder = new NdjsonDecoder();
    expect(values(decoder.push('\n   \n{"a":1}\r\n\r\n\t\n{"b":2}\n'))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test("a malformed line is reported with its text and does not stop the lines after it", () => {
    const decoder = new NdjsonDecoder();
    const lines = decoder.push('{"a":1}\nnot json\n{"b":2}\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ ok: true, value: { a: 1 } });
    expect(lines[1]).toMatchObject({ ok: false, line: "not json" });
    expect((lines[1] as { error: string }).error).not.toBe("");
    expect(lines[2]).toEqual({ ok: true, value: { b: 2 } });
  });

  test("end() gives the last line when it had no newline, and nothing when it was blank", () => {
    const decoder = new NdjsonDecoder();
    expect(decoder.push('{"a":1}\n{"b":')).toHaveLength(1);
    expect(decoder.push("2}")).toEqual([]);
    expect(values(decoder.end())).toEqual([{ b: 2 }]);
    expect(decoder.end()).toEqual([]);
  });

  test("end() reports a truncated last line as malformed", () => {
    const decoder = new NdjsonDecoder();
    decoder.push('{"cut":');
    expect(decoder.end()).toEqual([expect.objectContaining({ ok: false, line: '{"cut":' })]);
  });

  test("end() reports a character left incomplete at end of input instead of losing it", () => {
    const decoder = new NdjsonDecoder();
    decoder.push(bytes('{"a":"é"}').slice(0, -3));
    const [line] = decoder.end();
    expect(line).toMatchObject({ ok: false });
    expect((line as { line: string }).line).toContain("\uFFFD");
  });
});

describe("decodeNdjsonStream", () => {
  test("decodes a chunked byte stream including its unterminated last line", async () => {
    const source = async function* () {
      yield bytes('{"n":1}\n{"n"');
      yield bytes(":2}\n");
      yield bytes('{"n":3}');
    };
    const lines: DecodedLine[] = [];
    for await (const line of decodeNdjsonStream(source())) lines.push(line);
    expect(values(lines)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});

describe("encodeFrame", () => {
  test("ends every frame with exactly one newline", () => {
    expect(encodeFrame({ type: "user" })).toBe('{"type":"user"}\n');
  });

  test("a newline inside a string stays escaped, so a frame is always one line", () => {
    const frame = encodeFrame({ text: "line one\nline two\r\n", sep: "\u2028" });
    expect(frame.indexOf("\n")).toBe(frame.length - 1);
    expect(JSON.parse(frame)).toEqual({ text: "line one\nline two\r\n", sep: "\u2028" });
  });

  test("what it encodes decodes back to the same values", () => {
    const messages = [{ a: 1 }, { text: "ünïcödé 🎉" }, [1, "two", null]];
    const decoder = new NdjsonDecoder();
    expect(values(decoder.push(bytes(messages.map(encodeFrame).join(""))))).toEqual(messages);
  });

  test("refuses a value that has no JSON form instead of writing a bare newline", () => {
    expect(() => encodeFrame(undefined)).toThrow(TypeError);
  });
});
